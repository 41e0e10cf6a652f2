// Text from users (layer and model names) placed inside graphviz's HTML-like labels.
#pragma once

#include <cstddef>
#include <string>

namespace xkeras::visualization {

/// `text` as safe HTML-like label text: & < > " ' become entities (so a name cannot close the label,
/// open a tag or end the DOT statement), control characters (newlines, tabs, NUL) become spaces and
/// bytes that are not valid UTF-8 become U+FFFD, which graphviz's XML parser would otherwise reject.
std::string html_escape(const std::string& text);

/// `text` with control characters as spaces and invalid UTF-8 as U+FFFD, cut to `max_chars` code points
/// (an ellipsis marks the cut): user text for a plotting library that expects UTF-8.
std::string clean_text(const std::string& text, std::size_t max_chars = 200);

}  // namespace xkeras::visualization
