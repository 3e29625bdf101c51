// osteon::train: the Trainer against a bare libtorch loop, schedules against PyTorch's closed
// forms, checkpoints (kill with SIGKILL, resume, bit-identical weights), refusals, and
// data-parallel training on c10d Gloo (2 processes) against one process with the global batch.
//
// The child processes are this program itself, re-executed with OSTEON_TRAIN_WORKER set: a static
// initialiser runs the worker and exits before doctest starts.
#include <doctest/doctest.h>
#include <osteon/data/dataset.hpp>
#include <osteon/train.hpp>
#include <osteon/split/manifest.hpp>
#include <osteon/split/nested.hpp>
#include <osteon/train/distributed.hpp>
#include <torch/torch.h>

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;
namespace ot = osteon::train;

// A small CNN with batch norm and dropout: exercises buffers and torch's RNG in a resume.
struct TinyNetImpl : torch::nn::Module {
  TinyNetImpl() {
    conv = register_module("conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 4, 3).padding(1)));
    bn = register_module("bn", torch::nn::BatchNorm2d(4));
    fc = register_module("fc", torch::nn::Linear(4 * 8 * 8, 2));
  }
  torch::Tensor forward(const torch::Tensor& x) {
    auto h = torch::relu(bn->forward(conv->forward(x)));
    h = torch::dropout(h.flatten(1), 0.2, is_training());
    return fc->forward(h);
  }
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
  torch::nn::Linear fc{nullptr};
};
TORCH_MODULE(TinyNet);

torch::Tensor cross_entropy(const torch::Tensor& out, const torch::Tensor& y) {
  return torch::nn::functional::cross_entropy(out, y);
}

ot::TensorData image_data(std::int64_t n, std::uint64_t seed) {
  torch::manual_seed(seed);
  auto y = torch::randint(0, 2, {n}, torch::kLong);
  auto x = torch::randn({n, 1, 8, 8}) + y.view({n, 1, 1, 1}).to(torch::kFloat) * 0.8;
  return {x, y};
}

ot::TrainerOptions resume_options(const std::string& out) {
  return ot::TrainerOptions()
      .max_epochs(6)
      .lr(2e-3)
      .betas({0.5, 0.999})
      .scheduler(ot::Scheduler::cosine)
      .batch_size(8)
      .seed(11)
      .val_metric("auc")
      .output_dir(out)
      .keep_last(2)
      .progress(ot::Progress::none);
}

// Shift augmentation drawn from the Trainer's PCG32 (its state is in the checkpoint).
ot::Batch shift(ot::Batch batch, osteon::Pcg32& rng) {
  const std::vector<std::int64_t> by{static_cast<std::int64_t>(rng.uniform_below(3)) - 1,
                                     static_cast<std::int64_t>(rng.uniform_below(3)) - 1};
  batch.inputs = batch.inputs.roll(by, {-2, -1});
  return batch;
}

torch::Tensor flat_weights(const torch::nn::Module& module) {
  std::vector<torch::Tensor> parts;
  for (const auto& item : osteon::io::module_state_dict(module)) parts.push_back(item.value().reshape({-1}).to(torch::kDouble));
  return torch::cat(parts);
}

// Worker: the resumable run. Resumes from OSTEON_TRAIN_OUT if it holds checkpoints, trains to the
// end, writes final.pt. OSTEON_TRAIN_SLOW adds 150 ms per epoch so the parent can kill it mid-run.
int resume_worker() {
  torch::set_num_threads(1);
  const std::string out = std::getenv("OSTEON_TRAIN_OUT");
  const auto train = image_data(48, 1);
  const auto val = image_data(24, 2);
  torch::manual_seed(3);
  TinyNet net;
  ot::Trainer trainer(net, cross_entropy, resume_options(out));
  trainer.set_augmentation(shift);
  if (std::getenv("OSTEON_TRAIN_SLOW")) {
    trainer.add_callbacks({nullptr, nullptr, nullptr, [](const ot::EpochRecord&) {
                             std::this_thread::sleep_for(std::chrono::milliseconds(150));
                           }});
  }
  trainer.resume(out);
  trainer.fit(train, val);
  osteon::io::save_state_dict(*net, (fs::path(out) / "final.pt").string());
  return 0;
}

// The data-parallel model: no batch norm (per-rank statistics would differ from one process).
torch::nn::Sequential mlp() {
  torch::manual_seed(5);
  return torch::nn::Sequential(torch::nn::Linear(6, 16), torch::nn::Tanh(), torch::nn::Linear(16, 2));
}

ot::TensorData table_data() {
  torch::manual_seed(9);
  auto y = torch::randint(0, 2, {64}, torch::kLong);
  return {torch::randn({64, 6}) + y.view({64, 1}).to(torch::kFloat), y};
}

ot::TrainerOptions ddp_options(std::int64_t batch) {
  return ot::TrainerOptions().max_epochs(3).optimizer(ot::Optimizer::sgd).momentum(0.9).lr(0.05).batch_size(batch)
      .seed(4).progress(ot::Progress::none);
}

// Worker: rank OSTEON_TRAIN_RANK of 2 with batch 8 per rank; rank 0 writes ddp_weights.pt.
int ddp_worker() {
  torch::set_num_threads(1);
  const std::string out = std::getenv("OSTEON_TRAIN_OUT");
  const auto rank = std::stoll(std::getenv("OSTEON_TRAIN_RANK"));
  auto communicator = ot::make_communicator(
      ot::DistributedOptions().rank(rank).world_size(2).store_path((fs::path(out) / "store").string()));
  auto net = mlp();
  if (rank == 1) {  // rank 1 starts from other weights: the Trainer must broadcast rank 0's
    torch::NoGradGuard no_grad;
    for (auto& p : net->parameters()) p.add_(1.0);
  }
  ot::Trainer trainer(net, cross_entropy, ddp_options(8));
  trainer.set_communicator(communicator);
  trainer.fit(table_data());
  if (rank == 0) osteon::io::save_state_dict(*net, (fs::path(out) / "ddp_weights.pt").string());
  return 0;
}

const int worker_exit_code = [] {
  const char* mode = std::getenv("OSTEON_TRAIN_WORKER");
  if (mode == nullptr) return 0;
  int rc = 3;
  try {
    rc = std::string(mode) == "resume" ? resume_worker() : ddp_worker();
  } catch (const std::exception& error) {
    std::fprintf(stderr, "worker %s: %s\n", mode, error.what());
  }
  std::fflush(nullptr);
  std::_Exit(rc);
}();

pid_t spawn_self(const std::vector<std::string>& extra_env) {
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) env.emplace_back(*e);
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& s : env) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::string self = fs::read_symlink("/proc/self/exe").string();
  char* argv[] = {self.data(), nullptr};
  pid_t pid = 0;
  REQUIRE(posix_spawn(&pid, self.c_str(), nullptr, nullptr, argv, envp.data()) == 0);
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  REQUIRE(waitpid(pid, &status, 0) == pid);
  return status;
}

fs::path fresh_dir(const std::string& name) {
  const auto dir = fs::temp_directory_path() / ("osteon_train_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

std::string file_bytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

bool bit_equal(const torch::Tensor& a, const torch::Tensor& b) {
  return a.sizes() == b.sizes() && a.dtype() == b.dtype() && torch::equal(a, b);
}

}  // namespace

TEST_CASE("options out of range and unknown metrics are refused with the option's name") {
  TinyNet net;
  const auto refuse = [&](const ot::TrainerOptions& options, const std::string& fragment) {
    try {
      ot::Trainer trainer(net, cross_entropy, options);
      FAIL("accepted: " << fragment);
    } catch (const std::invalid_argument& error) {
      CHECK_MESSAGE(std::string(error.what()).find(fragment) != std::string::npos, error.what());
    }
  };
  refuse(ot::TrainerOptions().lr(-1e-3), "lr must be > 0");
  refuse(ot::TrainerOptions().betas({1.0, 0.999}), "betas[0] must be in [0, 1), got 1");
  refuse(ot::TrainerOptions().weight_decay(-0.1), "weight_decay must be >= 0");
  refuse(ot::TrainerOptions().nesterov(true), "nesterov needs optimizer 'sgd' with momentum > 0");
  refuse(ot::TrainerOptions().optimizer(ot::Optimizer::sgd).momentum(1.5), "momentum must be in [0, 1), got 1.5");
  refuse(ot::TrainerOptions().max_epochs(0), "max_epochs must be >= 1, got 0");
  refuse(ot::TrainerOptions().val_metric("f2"), "unknown validation metric 'f2'");
  refuse(ot::TrainerOptions().amp(true), "amp needs the model on a CUDA device");
  CHECK_THROWS_WITH_AS(ot::parse_optimizer("adagrad"), doctest::Contains("got 'adagrad'"), std::invalid_argument);
}

TEST_CASE("schedules follow PyTorch's closed forms") {
  const auto opts = ot::TrainerOptions().lr(2e-3).max_epochs(16);
  ot::LrSchedule cosine(ot::TrainerOptions(opts).scheduler(ot::Scheduler::cosine));
  const double pi = 3.141592653589793;
  for (int e = 0; e < 16; ++e) CHECK(cosine.lr(e) == doctest::Approx(1e-3 * (1 + std::cos(pi * e / 16))).epsilon(1e-15));
  ot::LrSchedule step(ot::TrainerOptions(opts).scheduler(ot::Scheduler::step).step_size(5).gamma(0.5));
  CHECK(step.lr(4) == 2e-3);
  CHECK(step.lr(5) == doctest::Approx(1e-3));
  CHECK(step.lr(15) == doctest::Approx(2.5e-4));
  ot::LrSchedule warm(ot::TrainerOptions(opts).scheduler(ot::Scheduler::cosine).warmup_epochs(3));
  CHECK(warm.lr(0) == doctest::Approx(0.5e-3));  // LinearLR(start_factor = 1/4)
  CHECK(warm.lr(2) == doctest::Approx(1.5e-3));
  CHECK(warm.lr(3) == doctest::Approx(2e-3));
  ot::LrSchedule plateau(ot::TrainerOptions(opts).scheduler(ot::Scheduler::plateau).plateau_patience(1).gamma(0.1));
  plateau.observe(1.0, false);
  plateau.observe(1.0, false);  // 1 bad epoch: patience 1 not exceeded
  CHECK(plateau.lr(3) == 2e-3);
  plateau.observe(1.5, false);  // 2 bad epochs
  CHECK(plateau.lr(4) == doctest::Approx(2e-4));
}

TEST_CASE("the sampler keeps groups on one rank and interleaves single samples") {
  std::vector<std::int64_t> groups;
  for (int i = 0; i < 40; ++i) groups.push_back(i / 2);  // two hips per patient
  osteon::Pcg32 a(3), b(3);
  const auto r0 = ot::epoch_samples(40, groups, true, a, 0, 2);
  const auto r1 = ot::epoch_samples(40, groups, true, b, 1, 2);
  CHECK(r0.size() + r1.size() == 40);
  for (const auto i : r0)
    for (const auto j : r1) CHECK(groups[i] != groups[j]);
  osteon::Pcg32 c(3), d(3);
  const auto all = ot::epoch_samples(10, {}, true, c, 0, 1);
  const auto odd = ot::epoch_samples(10, {}, true, d, 1, 2);
  for (std::size_t k = 0; k < odd.size(); ++k) CHECK(odd[k] == all[2 * k + 1]);
  const auto even = ot::make_batches({0, 1, 2, 3, 4, 5, 6}, 3, true);
  REQUIRE(even.size() == 2);
  CHECK(even[0].size() == 3);
  CHECK(even[1].size() == 4);
}

TEST_CASE("one epoch of the Trainer equals a bare libtorch loop bit for bit") {
  torch::set_num_threads(1);
  const auto data = image_data(40, 1);
  for (const auto kind : {ot::Optimizer::adam, ot::Optimizer::adamw, ot::Optimizer::sgd}) {
    CAPTURE(ot::to_string(kind));
    const auto options = ot::TrainerOptions().max_epochs(2).optimizer(kind).lr(1e-2).betas({0.5, 0.999})
                             .weight_decay(1e-3).momentum(kind == ot::Optimizer::sgd ? 0.9 : 0.0)
                             .nesterov(kind == ot::Optimizer::sgd).grad_clip(0.5).batch_size(16).seed(2)
                             .scheduler(ot::Scheduler::step).step_size(1).gamma(0.5).progress(ot::Progress::none);
    torch::manual_seed(7);
    TinyNet ours;
    torch::manual_seed(7);
    TinyNet bare;
    ot::Trainer trainer(ours, cross_entropy, options);
    trainer.fit(data);
    // The same run by hand: torch's seed, the same PCG32 order, clip, step.
    auto optimizer = ot::make_optimizer(bare->parameters(), options);
    torch::manual_seed(2);
    osteon::Pcg32 rng(2, 0x747261696eULL);
    for (int epoch = 0; epoch < 2; ++epoch) {
      ot::set_lr(*optimizer, 1e-2 * std::pow(0.5, epoch));
      bare->train();
      const auto order = ot::epoch_samples(40, {}, true, rng);
      for (const auto& rows : ot::make_batches(order, 16, false)) {
        const auto batch = data.batch(rows);
        optimizer->zero_grad();
        cross_entropy(bare->forward(batch.inputs), batch.targets).backward();
        torch::nn::utils::clip_grad_norm_(bare->parameters(), 0.5);
        optimizer->step();
      }
    }
    CHECK(bit_equal(flat_weights(*ours), flat_weights(*bare)));
    CHECK(trainer.step() == 6);
  }
}

TEST_CASE("gradient accumulation of 2 × 8 equals batches of 16") {
  torch::set_num_threads(1);
  const auto data = table_data();
  auto a = mlp();
  auto b = mlp();
  ot::Trainer(a, cross_entropy, ddp_options(16).accumulate(1).shuffle(false)).fit(data);
  ot::Trainer(b, cross_entropy, ddp_options(8).accumulate(2).shuffle(false)).fit(data);
  CHECK(torch::allclose(flat_weights(*a), flat_weights(*b), 1e-5, 1e-6));
}

TEST_CASE("validation, callbacks, early stopping, best model and the metrics log") {
  torch::set_num_threads(1);
  const auto dir = fresh_dir("log");
  const auto train = image_data(48, 1);
  const auto val = image_data(24, 2);
  torch::manual_seed(3);
  TinyNet net;
  ot::Trainer trainer(net, cross_entropy,
                      ot::TrainerOptions().max_epochs(8).lr(5e-2).batch_size(8).val_metric("auc").early_stopping(2)
                          .restore_best(true).output_dir(dir.string()).progress(ot::Progress::none));
  trainer.set_val_metrics({"accuracy"});
  int begins = 0, batches = 0, validations = 0, ends = 0;
  trainer.add_callbacks({[&](std::int64_t) { ++begins; }, [&](const ot::BatchEvent&) { ++batches; },
                         [&](const ot::EpochRecord&) { ++validations; }, [&](const ot::EpochRecord&) { ++ends; }});
  const auto result = trainer.fit(train, val);
  const auto epochs = static_cast<int>(result.history.size());
  CHECK(begins == epochs);
  CHECK(ends == epochs);
  CHECK(validations == epochs);
  CHECK(batches == 6 * epochs);
  REQUIRE(result.best_epoch >= 1);
  if (result.stopped_early) CHECK(epochs == result.best_epoch + 2);
  // restore_best: the weights score the best AUC again (osteon::metrics::roc_auc on the outputs).
  net->eval();
  torch::NoGradGuard no_grad;
  const auto auc = osteon::metrics::roc_auc(val.targets, torch::softmax(net->forward(val.inputs), 1).select(1, 1));
  const double restored = auc.item().toDouble();
  CHECK(restored == doctest::Approx(result.best_value).epsilon(1e-6));
  // The log: one CSV row per epoch with the validation columns, one JSON object per line.
  std::ifstream csv(dir / "metrics.csv");
  std::string header, line;
  std::getline(csv, header);
  CHECK(header == "epoch,step,lr,train_loss,seconds,skipped_steps,val_accuracy,val_auc,val_loss");
  int rows = 0;
  while (std::getline(csv, line)) ++rows;
  CHECK(rows == epochs);
  std::ifstream jsonl(dir / "metrics.jsonl");
  std::getline(jsonl, line);
  CHECK(line.rfind("{\"epoch\": 1, \"step\": 6, ", 0) == 0);
  CHECK(line.find("\"val_auc\": ") != std::string::npos);
  CHECK(fs::exists(dir / "best.pt"));
  CHECK(ot::Trainer::checkpoint_files(dir.string()).size() == 2);  // keep_last = 2
  fs::remove_all(dir);
}

TEST_CASE("a non-finite loss is an error naming the epoch and step, or a counted skip") {
  torch::set_num_threads(1);
  const auto data = table_data();
  auto net = mlp();
  int calls = 0;
  const auto poisoned = [&](const torch::Tensor& out, const torch::Tensor& y) {
    auto loss = cross_entropy(out, y);
    return ++calls == 3 ? loss * std::numeric_limits<double>::quiet_NaN() : loss;
  };
  ot::Trainer failing(net, poisoned, ddp_options(16));
  CHECK_THROWS_WITH_AS(failing.fit(data), doctest::Contains("training loss is nan at epoch 1, step 3 (batch 3 of 4)"),
                       std::runtime_error);
  calls = 0;
  auto other = mlp();
  ot::Trainer skipping(other, poisoned, ddp_options(16).non_finite(ot::NonFinitePolicy::skip));
  const auto result = skipping.fit(data);
  CHECK(result.history[0].skipped_steps == 1);
  CHECK(skipping.step() == 11);
  CHECK(std::isfinite(result.history[0].train_loss));
}

TEST_CASE("a run killed with SIGKILL and resumed gives bit-identical weights") {
  const auto whole = fresh_dir("whole");
  const auto killed = fresh_dir("killed");
  REQUIRE(wait_for(spawn_self({"OSTEON_TRAIN_WORKER=resume", "OSTEON_TRAIN_OUT=" + whole.string()})) == 0);
  const pid_t victim =
      spawn_self({"OSTEON_TRAIN_WORKER=resume", "OSTEON_TRAIN_SLOW=1", "OSTEON_TRAIN_OUT=" + killed.string()});
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (!fs::exists(killed / "checkpoint_epoch0002.pt") && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  ::kill(victim, SIGKILL);
  const int status = wait_for(victim);
  REQUIRE(WIFSIGNALED(status));
  CHECK(WTERMSIG(status) == SIGKILL);
  REQUIRE_FALSE(fs::exists(killed / "final.pt"));
  REQUIRE(wait_for(spawn_self({"OSTEON_TRAIN_WORKER=resume", "OSTEON_TRAIN_OUT=" + killed.string()})) == 0);
  // A write cut by the kill may leave a temporary; the next write of that file removes it.
  for (const auto& entry : fs::directory_iterator(killed)) CHECK_MESSAGE(entry.path().extension() != ".tmp", entry.path());
  const auto a = osteon::io::load_state_dict_file((whole / "final.pt").string());
  const auto b = osteon::io::load_state_dict_file((killed / "final.pt").string());
  REQUIRE(a.size() == b.size());
  for (const auto& item : a) CHECK_MESSAGE(bit_equal(item.value(), b[item.key()]), item.key());
  // The resumed log holds every epoch once.
  std::ifstream csv(killed / "metrics.csv");
  int rows = -1;
  for (std::string line; std::getline(csv, line);) ++rows;
  CHECK(rows == 6);
  CHECK(file_bytes(whole / "metrics.csv").substr(0, 60) == file_bytes(killed / "metrics.csv").substr(0, 60));
  fs::remove_all(whole);
  fs::remove_all(killed);
}

TEST_CASE("resume refuses another config, another model and a truncated file, touching nothing") {
  torch::set_num_threads(1);
  const auto dir = fresh_dir("refuse");
  const auto train = image_data(16, 1);
  {
    torch::manual_seed(3);
    TinyNet net;
    ot::Trainer(net, cross_entropy, resume_options(dir.string()).max_epochs(2).val_metric("loss")).fit(train);
  }
  const auto files = ot::Trainer::checkpoint_files(dir.string());
  REQUIRE(files.size() == 2);
  std::vector<std::string> before;
  for (const auto& f : files) before.push_back(file_bytes(f));

  TinyNet net;
  ot::Trainer other_config(net, cross_entropy, resume_options(dir.string()).max_epochs(2).val_metric("loss").lr(1e-3));
  CHECK_THROWS_WITH_AS(other_config.resume(dir.string()),
                       doctest::Contains("another config (key 'config.text'): lr = 0.002 in the file, 0.001 now"),
                       std::invalid_argument);
  CHECK(other_config.epoch() == 0);

  auto small = torch::nn::Sequential(torch::nn::Flatten(), torch::nn::Linear(64, 2));
  ot::Trainer other_model(small, cross_entropy, resume_options(dir.string()).max_epochs(2).val_metric("loss"));
  CHECK_THROWS_WITH_AS(other_model.resume(dir.string()), doctest::Contains("holds another model"), std::invalid_argument);

  const auto cut = dir / "cut.pt";
  const auto bytes = file_bytes(files.back());
  std::ofstream(cut, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  ot::Trainer reader(net, cross_entropy, resume_options(dir.string()).max_epochs(2).val_metric("loss"));
  try {
    reader.load_checkpoint(cut.string());
    FAIL("a truncated checkpoint was read");
  } catch (const std::invalid_argument& error) {
    CHECK_MESSAGE(std::string(error.what()).find(cut.string()) != std::string::npos, error.what());
  }
  CHECK_THROWS_WITH_AS(reader.load_checkpoint((dir / "metrics.csv").string()),
                       doctest::Contains("is not a torch.save zip archive"), std::invalid_argument);
  for (std::size_t i = 0; i < files.size(); ++i) CHECK(file_bytes(files[i]) == before[i]);
  fs::remove_all(dir);
}

TEST_CASE("two Gloo processes give the weights of one process with the global batch") {
  const auto dir = fresh_dir("ddp");
  const pid_t r0 = spawn_self({"OSTEON_TRAIN_WORKER=ddp", "OSTEON_TRAIN_RANK=0", "OSTEON_TRAIN_OUT=" + dir.string()});
  const pid_t r1 = spawn_self({"OSTEON_TRAIN_WORKER=ddp", "OSTEON_TRAIN_RANK=1", "OSTEON_TRAIN_OUT=" + dir.string()});
  CHECK(wait_for(r0) == 0);
  CHECK(wait_for(r1) == 0);
  torch::set_num_threads(1);
  auto single = mlp();
  ot::Trainer(single, cross_entropy, ddp_options(16)).fit(table_data());
  auto ddp = mlp();
  osteon::io::load_state_dict(*ddp, (dir / "ddp_weights.pt").string());
  CHECK(torch::allclose(flat_weights(*ddp), flat_weights(*single), 1e-5, 1e-6));
  CHECK_FALSE(torch::equal(flat_weights(*ddp), flat_weights(*mlp())));  // it did train
  fs::remove_all(dir);
}

TEST_CASE("predict with flips, evaluate and cross_validate on a k-fold manifest with a holdout") {
  torch::set_num_threads(1);
  const auto data = table_data();
  std::vector<int> y;
  std::vector<std::string> ids, groups;
  for (std::int64_t i = 0; i < 64; ++i) {
    y.push_back(static_cast<int>(data.targets[i].item<std::int64_t>()));
    ids.push_back("s" + std::to_string(i));
    groups.push_back("p" + std::to_string(i));  // one sample per subject: nested_split needs one label per group
  }
  const auto design = osteon::split::nested_split(y, 3, groups, 0.25);
  const auto manifest = osteon::split::make_manifest(osteon::split::cohort_record(ids, y, groups), design, 0);
  const auto result = ot::cross_validate(
      manifest, data, [](std::int64_t) { return ot::make_model(mlp()); }, cross_entropy,
      ot::CrossValidationOptions().trainer(ddp_options(16).max_epochs(4)).metrics({"auc", "accuracy"}).ddof(1));
  REQUIRE(result.metrics.size() == 2);
  const auto& auc = result.metrics[0];
  REQUIRE(auc.fold.size() == 3);
  REQUIRE(auc.holdout.size() == 3);
  // mean ± SD with ddof 1 (R's sd) of the per-fold values.
  const double mean = (auc.fold[0] + auc.fold[1] + auc.fold[2]) / 3;
  double ss = 0;
  for (double v : auc.fold) ss += (v - mean) * (v - mean);
  CHECK(auc.fold_summary.mean == doctest::Approx(mean));
  CHECK(auc.fold_summary.sd == doctest::Approx(std::sqrt(ss / 2)));
  // The pooled value is the AUC of all out-of-fold probabilities (osteon::metrics::roc_auc).
  const auto oof_y = data.subset(result.out_of_fold_rows).targets;
  const double pooled = osteon::metrics::roc_auc(oof_y, result.out_of_fold.select(1, 1)).item().toDouble();
  CHECK(auc.pooled == doctest::Approx(pooled));
  CHECK(result.out_of_fold_rows.size() == design.holdout.train.size());
  CHECK(std::isfinite(auc.ensemble_holdout));
  CHECK(result.table().find("mean ± SD (ddof 1)") != std::string::npos);

  // predict: flips of a dense model come back in the input's orientation.
  auto dense = ot::make_model(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 2, 3).padding(1)));
  const auto x = torch::randn({3, 1, 5, 5});
  const auto plain = ot::predict(dense, x);
  const auto flipped = ot::predict(dense, x, ot::PredictOptions().flip_dims({-1}));
  const auto by_hand = (torch::softmax(dense.forward(x), 1) + torch::softmax(dense.forward(x.flip({3})), 1).flip({3})) / 2;
  CHECK(torch::allclose(flipped, by_hand.detach(), 1e-6, 1e-7));
  CHECK_FALSE(torch::allclose(plain, flipped));
  CHECK_THROWS_AS(ot::predict(dense, x, ot::PredictOptions().flip_dims({0})), std::invalid_argument);
}

TEST_CASE("fit on the data layer's DataLoader equals a loop over the same loader") {
  torch::set_num_threads(1);
  const auto data = image_data(40, 1);
  const auto dataset = std::make_shared<osteon::data::TensorDataset>(
      data.inputs, osteon::data::TensorDatasetOptions().labels(data.targets));
  const auto loader_options = osteon::data::DataLoaderOptions().batch_size(8).shuffle(true).seed(5);
  osteon::data::DataLoader ours_loader(dataset, nullptr, loader_options);
  osteon::data::DataLoader bare_loader(dataset, nullptr, loader_options);
  const auto options = ot::TrainerOptions().max_epochs(2).lr(1e-2).batch_size(8).seed(2).progress(ot::Progress::none);
  torch::manual_seed(7);
  TinyNet ours;
  torch::manual_seed(7);
  TinyNet bare;
  ot::Trainer trainer(ours, cross_entropy, options);
  const auto result = ot::fit(trainer, ours_loader);
  CHECK(result.history.size() == 2);
  auto optimizer = ot::make_optimizer(bare->parameters(), options);
  torch::manual_seed(2);
  for (int epoch = 0; epoch < 2; ++epoch) {
    bare->train();
    for (auto& batch : bare_loader) {
      optimizer->zero_grad();
      cross_entropy(bare->forward(batch.image()), batch.label.reshape({-1})).backward();
      optimizer->step();
    }
  }
  CHECK(bit_equal(flat_weights(*ours), flat_weights(*bare)));
  CHECK(trainer.step() == 10);
}

TEST_CASE("predict through sliding windows equals data::sliding_window_inference") {
  torch::manual_seed(1);
  auto conv = torch::nn::Conv3d(torch::nn::Conv3dOptions(1, 2, 3).padding(1));
  const auto volume = torch::randn({1, 1, 10, 9, 8});
  auto windows = ot::sliding_window_model(ot::make_model(conv), {4, 4, 4}, 3,
                                          osteon::data::SlidingWindowOptions().overlap({0.5}).mode("gaussian"));
  const auto p = ot::predict(windows, volume, ot::PredictOptions().batch_size(1));
  torch::NoGradGuard no_grad;
  const auto logits = osteon::data::sliding_window_inference(
      volume, {4, 4, 4}, 3, [&](const torch::Tensor& x) { return conv->forward(x); },
      osteon::data::SlidingWindowOptions().overlap({0.5}).mode("gaussian"));
  CHECK(torch::allclose(p, torch::softmax(logits, 1), 1e-6, 1e-7));
}
