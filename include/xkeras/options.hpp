// Option structs that can be written in any order.
//
// Every option struct (FitOptions, DenseOptions, ...) stays an aggregate, so designated initializers
// keep working in declaration order: `{.epochs = 5, .batch_size = 128}`. Each field also gets a chained
// setter named `with_<field>`, so the same options can be written in any order:
//   FitOptions().with_batch_size(128).with_epochs(5)
#pragma once

#include <utility>

/// Declares field `name` of type `Type` with the default `__VA_ARGS__` (empty = value-initialized) and its
/// chained setter `with_<name>(value)`, which returns the struct itself.
#define XKERAS_OPTION(Type, name, ...)                 \
  Type name = Type(__VA_ARGS__);                       \
  auto& with_##name(Type value) {                      \
    name = std::move(value);                           \
    return *this;                                      \
  }
