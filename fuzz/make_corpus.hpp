// What the corpus writer's files share (fuzz/make_corpus.cpp writes the model and weight seeds,
// make_corpus_idx.cpp the IDX ones).
#pragma once

#include <filesystem>
#include <functional>
#include <string>

namespace make_corpus {

extern std::filesystem::path out_dir;
extern int written, failed;

void write_file(const std::filesystem::path& p, const std::string& bytes);
/// Seeds must be accepted by the reader; reports and counts one that is not.
bool check(const std::string& what, const std::function<void()>& f);

/// DIR/idx and DIR/idx_stream: IDX files of rank 1-4, plain and gzip'd.
void idx_seeds();

}  // namespace make_corpus
