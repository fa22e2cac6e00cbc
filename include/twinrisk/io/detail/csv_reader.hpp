#pragma once
/// RFC 4180 CSV, one record at a time: quoted fields (with `""` for a quote, and line breaks
/// inside), CRLF or LF line ends, a UTF-8 byte-order mark at the start (spreadsheet exports write
/// one), any one-byte delimiter. Each record knows the line it starts on, for messages.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "twinrisk/detail/text_case.hpp"
#include "twinrisk/error.hpp"

namespace twinrisk::detail {

/// One record of a CSV file: its fields and the 1-based line it starts on.
struct csv_row {
  std::vector<std::string> fields{};
  std::size_t line = 0;
};

/// Reads the records of CSV `text` in order; blank lines are skipped. A quote inside an unquoted
/// field is kept as it is (exports write `5" disk`). Complexity: linear in the text.
class csv_reader {
 public:
  /// `file` names the text in errors; it must outlive the reader.
  csv_reader(std::string_view text, const std::string& file, char delimiter = ',')
      : text_(text), file_(file), delimiter_(delimiter) {
    if (text_.starts_with("\xEF\xBB\xBF")) pos_ = line_start_ = 3;
  }

  /// Reads the next record into `row`; false at the end of the text.
  /// Throws: input_error with file, line and column on a quoted field that is never closed or
  /// that is followed by anything but a delimiter or a line end.
  bool next(csv_row& row) {
    row.fields.clear();
    while (pos_ < text_.size() && (text_[pos_] == '\n' || text_.substr(pos_, 2) == "\r\n")) end_line();  // blank lines
    if (pos_ >= text_.size()) return false;
    row.line = line_;
    while (true) {
      std::string& field = row.fields.emplace_back();
      if (pos_ < text_.size() && text_[pos_] == '"') {
        const std::size_t open_line = line_, open_column = pos_ - line_start_ + 1;
        ++pos_;
        while (true) {
          if (pos_ >= text_.size())
            throw input_error({.file = file_, .line = open_line, .column = open_column},
                              "a quoted field is never closed (expected '\"' before the end of the file)");
          const char c = text_[pos_];
          if (c == '"') {
            if (pos_ + 1 < text_.size() && text_[pos_ + 1] == '"') {
              field += '"';
              pos_ += 2;
              continue;
            }
            ++pos_;
            break;
          }
          field += c;
          ++pos_;
          if (c == '\n') {
            ++line_;
            line_start_ = pos_;
          }
        }
        if (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' && text_.substr(pos_, 2) != "\r\n")
          throw input_error({.file = file_, .line = line_, .column = pos_ - line_start_ + 1},
                            std::string("expected '") + delimiter_ + "' or a line end after a closing quote, got '" +
                                printable_excerpt(text_.substr(pos_, 1), 1) + "'");
      } else {
        while (pos_ < text_.size() && text_[pos_] != delimiter_ && text_[pos_] != '\n' && text_.substr(pos_, 2) != "\r\n")
          field += text_[pos_++];
      }
      if (pos_ < text_.size() && text_[pos_] == delimiter_) {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size()) end_line();
      return true;
    }
  }

 private:
  void end_line() {
    pos_ += text_[pos_] == '\r' ? 2 : 1;
    ++line_;
    line_start_ = pos_;
  }

  std::string_view text_;
  const std::string& file_;
  char delimiter_;
  std::size_t pos_ = 0, line_ = 1, line_start_ = 0;
};

}  // namespace twinrisk::detail
