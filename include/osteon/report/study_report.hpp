#pragma once
/// @file
/// A study report: report.md (sections, tables as the papers lay them out, figures, the settings,
/// the software versions) and metrics.json (every number of the report, the settings and the
/// versions, machine-readable), both written atomically into the study's output folder.
///
/// metrics.json layout:
///   {"study": title, "program": …, "settings": {key: value…}, "software": {name: version…},
///    "metrics": {…}, "files": [file names written by the study]}

#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "osteon/core/atomic_file.hpp"
#include "osteon/core/check.hpp"
#include "osteon/report/markdown.hpp"
#include "osteon/report/metrics_json.hpp"
#include "osteon/report/software.hpp"

namespace osteon::report {

/// A report under construction: text in order, numbers in `metrics()`.
///
/// Example:
///   osteon::report::StudyReport report("Hip-preservation outcome", "osteon study hip");
///   report.setting("seed", 2024).section("Test-set results").table(table);
///   report.metrics()["models"]["AP"]["auc"] = osteon::report::to_json(ci);
///   report.write("reports/hip");  // report.md, metrics.json
class StudyReport {
 public:
  StudyReport(std::string title, std::string program)
      : title_(std::move(title)), program_(std::move(program)), software_(compiled_software_versions()) {}

  /// A level-2 heading.
  StudyReport& section(const std::string& heading) {
    body_ += "## " + heading + "\n\n";
    return *this;
  }
  /// A paragraph of markdown.
  StudyReport& paragraph(const std::string& text) {
    body_ += text + "\n\n";
    return *this;
  }
  /// A table, with an optional caption line above it.
  StudyReport& table(const MarkdownTable& table, const std::string& caption = "") {
    if (!caption.empty()) body_ += caption + "\n\n";
    body_ += table.render() + "\n";
    return *this;
  }
  /// A figure file (relative to the output folder) with its caption; listed in "files".
  StudyReport& figure(const std::string& file, const std::string& caption) {
    body_ += "![" + caption + "](" + file + ")\n\n*" + caption + "*\n\n";
    return file_written(file);
  }
  /// Records a file the study wrote (predictions, manifest, checkpoints), listed at the end.
  StudyReport& file_written(const std::string& file) {
    files_.push_back(file);
    return *this;
  }
  /// One setting (printed in the settings block and stored in metrics.json "settings").
  template <typename Value>
  StudyReport& setting(const std::string& key, const Value& value) {
    settings_[key] = value;
    return *this;
  }
  /// A software version beyond those compiled_software_versions() knows (LibTorch, PLplot).
  StudyReport& software(const std::string& name, const std::string& version) {
    software_.emplace_back(name, version);
    return *this;
  }

  /// The numbers: any JSON the study puts here goes to metrics.json "metrics".
  Json& metrics() { return metrics_; }
  const Json& metrics() const { return metrics_; }

  /// The whole metrics.json document.
  Json json() const {
    Json software = Json::object();
    for (const auto& [name, version] : software_) software[name] = version;
    return Json{{"study", title_}, {"program", program_}, {"settings", settings_}, {"software", software},
                {"metrics", metrics_}, {"files", files_}};
  }

  /// The whole report.md text.
  std::string markdown() const {
    std::string text = "# " + title_ + "\n\n" + body_ + "## Settings\n\n";
    MarkdownTable settings({"setting", "value"});
    for (const auto& [key, value] : settings_.items()) {
      settings.add_row({key, value.is_string() ? value.get<std::string>() : value.dump()});
    }
    text += settings.render() + "\n## Software\n\n";
    MarkdownTable software({"software", "version"});
    for (const auto& [name, version] : software_) software.add_row({name, version});
    text += software.render() + "\n## Files\n\n";
    for (const auto& file : files_) text += "- `" + file + "`\n";
    return text + "- `report.md`, `metrics.json`\n";
  }

  /// Writes report.md and metrics.json into `folder` (created if missing), atomically.
  void write(const std::string& folder) const {
    std::filesystem::create_directories(folder);
    const auto path = [&](const char* name) { return (std::filesystem::path(folder) / name).string(); };
    const std::string text = markdown();
    write_file_atomically(path("report.md"), "StudyReport::write", [&](std::ostream& out) { out << text; });
    const std::string document = json().dump(2);
    write_file_atomically(path("metrics.json"), "StudyReport::write", [&](std::ostream& out) { out << document << '\n'; });
  }

 private:
  std::string title_, program_, body_;
  Json settings_ = Json::object();
  SoftwareVersions software_;
  Json metrics_ = Json::object();
  std::vector<std::string> files_;
};

}  // namespace osteon::report
