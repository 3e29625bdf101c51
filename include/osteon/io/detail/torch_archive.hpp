#pragma once
/// @file
/// Reads and writes the zip archive that Python's `torch.save(state_dict, path)` produces
/// (PyTorch >= 1.6 "zipfile" format: `<name>/data.pkl`, a pickle of the dict, and one record
/// `<name>/data/<key>` per tensor storage).
///
/// Why not torch::pickle_load: LibTorch's unpickler cannot read an OrderedDict carrying the
/// `_metadata` attribute that `Module.state_dict()` returns (pytorch/pytorch#37213, #100741; fixed
/// only in PyTorch 2.6). The reader below is a restricted unpickler in the spirit of
/// `torch.load(weights_only=True)` (torch/_weights_only_unpickler.py): it accepts dicts, tuples,
/// lists, scalars, strings and tensors, and rejects any other Python object, so reading a file
/// never runs code. The writer emits a plain dict of `torch._utils._rebuild_tensor_v2` calls,
/// exactly what `torch.save(dict)` emits, so `torch.load(path, weights_only=True)` reads it.

#include <caffe2/serialize/inline_container.h>
#include <torch/types.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "osteon/core/check.hpp"

namespace osteon::io::detail {

/// One pickled value. Only the kinds a state dict needs exist.
struct PickleValue {
  enum class Kind { None, Bool, Int, Float, String, Tuple, List, Dict, Global, Tensor, Mark };
  Kind kind = Kind::None;
  int64_t int_value = 0;
  double float_value = 0.0;
  std::string text;                                      // String, or "module.name" of a Global
  std::vector<PickleValue> items;                        // Tuple, List
  std::vector<std::pair<PickleValue, PickleValue>> entries;  // Dict, in insertion order
  torch::Tensor tensor;                                  // Tensor, or a storage before rebuild
  c10::ScalarType storage_type = c10::ScalarType::Undefined;  // Global naming a storage class
  int depth = 0;  // nesting of containers below this value (bounded: values are freed recursively)
  int64_t nodes = 1;  // values in this one, itself included (bounded: memo copies could multiply them)

  static PickleValue of(Kind kind) {
    PickleValue value;
    value.kind = kind;
    return value;
  }
};

/// Storage class names as torch.save writes them (`torch.FloatStorage`, ...).
inline const std::vector<std::pair<std::string, c10::ScalarType>>& storage_names() {
  static const std::vector<std::pair<std::string, c10::ScalarType>> names = {
      {"FloatStorage", c10::ScalarType::Float},   {"DoubleStorage", c10::ScalarType::Double},
      {"HalfStorage", c10::ScalarType::Half},     {"BFloat16Storage", c10::ScalarType::BFloat16},
      {"LongStorage", c10::ScalarType::Long},     {"IntStorage", c10::ScalarType::Int},
      {"ShortStorage", c10::ScalarType::Short},   {"CharStorage", c10::ScalarType::Char},
      {"ByteStorage", c10::ScalarType::Byte},     {"BoolStorage", c10::ScalarType::Bool},
      {"ComplexFloatStorage", c10::ScalarType::ComplexFloat},
      {"ComplexDoubleStorage", c10::ScalarType::ComplexDouble}};
  return names;
}

/// Restricted unpickler of `data.pkl`; storages are read from the archive on demand.
class StateDictUnpickler {
 public:
  StateDictUnpickler(std::string path, caffe2::serialize::PyTorchStreamReader& archive,
                     std::vector<char> pickle)
      : path_(std::move(path)), archive_(archive), bytes_(std::move(pickle)) {}

  PickleValue run() {
    while (true) {
      const auto opcode = static_cast<unsigned char>(read_bytes(1)[0]);
      if (opcode == '.') break;  // STOP
      step(opcode);
    }
    OSTEON_CHECK_ARG(stack_.size() == 1, "load_state_dict_file: malformed pickle in ", path_);
    return std::move(stack_.back());
  }

 private:
  const char* read_bytes(size_t n) {
    OSTEON_CHECK_ARG(position_ + n <= bytes_.size(), "load_state_dict_file: truncated pickle in ",
                     path_);
    const char* begin = bytes_.data() + position_;
    position_ += n;
    return begin;
  }
  template <typename T>
  T read_le() {  // pickle stores binary integers and lengths little-endian
    unsigned char raw[sizeof(T)];
    std::memcpy(raw, read_bytes(sizeof(T)), sizeof(T));
    uint64_t value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) value |= static_cast<uint64_t>(raw[i]) << (8 * i);
    T out;
    std::memcpy(&out, &value, sizeof(T));
    return out;
  }
  std::string read_line() {
    std::string line;
    for (char c = *read_bytes(1); c != '\n'; c = *read_bytes(1)) line.push_back(c);
    return line;
  }
  PickleValue pop() {
    OSTEON_CHECK_ARG(!stack_.empty(), "load_state_dict_file: malformed pickle in ", path_);
    PickleValue value = std::move(stack_.back());
    stack_.pop_back();
    return value;
  }
  const PickleValue& top() {
    OSTEON_CHECK_ARG(!stack_.empty(), "load_state_dict_file: malformed pickle in ", path_);
    return stack_.back();
  }
  PickleValue memo(uint64_t key) {
    const auto found = memo_.find(key);
    OSTEON_CHECK_ARG(found != memo_.end(), "load_state_dict_file: malformed pickle (memo ", key, ") in ", path_);
    copied_nodes_ += found->second.nodes;  // each copy is a deep copy
    OSTEON_CHECK_ARG(copied_nodes_ <= max_nodes, "load_state_dict_file: more than ", max_nodes,
                     " pickled values in ", path_);
    return found->second;
  }
  std::vector<PickleValue> pop_to_mark() {
    size_t mark = stack_.size();
    while (mark > 0 && stack_[mark - 1].kind != PickleValue::Kind::Mark) --mark;
    OSTEON_CHECK_ARG(mark > 0, "load_state_dict_file: malformed pickle (no MARK) in ", path_);
    std::vector<PickleValue> items(std::make_move_iterator(stack_.begin() + mark),
                                   std::make_move_iterator(stack_.end()));
    stack_.resize(mark - 1);
    return items;
  }
  // A state dict nests a few levels; a hostile pickle could nest until the recursive destructor
  // (or flatten_tensor_dict) overflows the stack.
  static constexpr int max_depth = 64;
  static constexpr int64_t max_nodes = int64_t{1} << 22;
  void nest(PickleValue& container, const PickleValue& child) {
    container.depth = std::max(container.depth, child.depth + 1);
    container.nodes += child.nodes;
    OSTEON_CHECK_ARG(container.nodes <= max_nodes, "load_state_dict_file: more than ", max_nodes,
                     " pickled values in ", path_);
    OSTEON_CHECK_ARG(container.depth <= max_depth, "load_state_dict_file: containers nested more than ", max_depth,
                     " deep in ", path_);
  }
  PickleValue make_tuple(std::vector<PickleValue> items) {
    auto tuple = PickleValue::of(PickleValue::Kind::Tuple);
    for (const auto& item : items) nest(tuple, item);
    tuple.items = std::move(items);
    return tuple;
  }
  PickleValue make_int(int64_t v) {
    auto value = PickleValue::of(PickleValue::Kind::Int);
    value.int_value = v;
    return value;
  }
  PickleValue make_string(std::string s) {
    auto value = PickleValue::of(PickleValue::Kind::String);
    value.text = std::move(s);
    return value;
  }
  PickleValue make_global(const std::string& module, const std::string& name) {
    auto value = PickleValue::of(PickleValue::Kind::Global);
    value.text = module + "." + name;
    if (module == "torch") {
      for (const auto& [storage, dtype] : storage_names())
        if (name == storage) value.storage_type = dtype;
    }
    static const char* allowed[] = {"collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                                    "torch._utils._rebuild_parameter",
                                    "torch.jit._pickle.restore_type_tag"};
    bool ok = value.storage_type != c10::ScalarType::Undefined;
    for (const char* name_allowed : allowed) ok = ok || value.text == name_allowed;
    OSTEON_CHECK_ARG(ok, "load_state_dict_file: ", path_, " holds a Python object of type '",
                     value.text, "'; only (nested) dicts of tensors, as written by "
                     "torch.save(model.state_dict(), path), can be read");
    return value;
  }
  std::vector<int64_t> int_tuple(const PickleValue& tuple, const char* what) {
    OSTEON_CHECK_ARG(tuple.kind == PickleValue::Kind::Tuple,
                     "load_state_dict_file: tensor ", what, " is not a tuple in ", path_);
    std::vector<int64_t> out;
    for (const auto& item : tuple.items) {
      OSTEON_CHECK_ARG(item.kind == PickleValue::Kind::Int && item.int_value >= 0 &&
                           item.int_value <= (int64_t{1} << 48),
                       "load_state_dict_file: tensor ", what, " holds an invalid entry in ", path_);
      out.push_back(item.int_value);
    }
    return out;
  }
  // persistent_load(('storage', storage_class, key, location, numel)): the record data/<key>.
  PickleValue load_storage(const PickleValue& pid) {
    OSTEON_CHECK_ARG(pid.kind == PickleValue::Kind::Tuple && pid.items.size() == 5 &&
                         pid.items[0].text == "storage" &&
                         pid.items[1].storage_type != c10::ScalarType::Undefined,
                     "load_state_dict_file: unsupported persistent id in ", path_);
    OSTEON_CHECK_ARG(pid.items[2].kind == PickleValue::Kind::String, "load_state_dict_file: storage key is not a "
                     "string in ", path_);
    const std::string& key = pid.items[2].text;
    auto cached = storages_.find(key);  // tensors that share a storage keep sharing it
    if (cached == storages_.end()) {
      const auto dtype = pid.items[1].storage_type;
      OSTEON_CHECK_ARG(archive_.hasRecord("data/" + key), "load_state_dict_file: storage 'data/", key,
                       "' is missing from ", path_);
      auto record = archive_.getRecord("data/" + key);
      OSTEON_CHECK_ARG(std::get<1>(record) % c10::elementSize(dtype) == 0, "load_state_dict_file: storage 'data/",
                       key, "' in ", path_, " is not a whole number of ", dtype, " elements");
      auto data = std::make_shared<at::DataPtr>(std::move(std::get<0>(record)));
      const int64_t numel = static_cast<int64_t>(std::get<1>(record) / c10::elementSize(dtype));
      auto storage = torch::from_blob(data->get(), {numel}, [data](void*) {},
                                      torch::TensorOptions().dtype(dtype));
      cached = storages_.emplace(key, storage).first;
    }
    auto value = PickleValue::of(PickleValue::Kind::Tensor);
    value.tensor = cached->second;
    return value;
  }
  PickleValue call(const PickleValue& callable, PickleValue args) {
    const std::string& name = callable.text;
    if (name == "collections.OrderedDict") return PickleValue::of(PickleValue::Kind::Dict);
    OSTEON_CHECK_ARG(args.kind == PickleValue::Kind::Tuple && !args.items.empty(),
                     "load_state_dict_file: malformed call of '", name, "' in ", path_);
    if (name == "torch.jit._pickle.restore_type_tag" || name == "torch._utils._rebuild_parameter")
      return std::move(args.items[0]);  // the dict / the tensor itself
    // _rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks)
    OSTEON_CHECK_ARG(name == "torch._utils._rebuild_tensor_v2" && args.items.size() >= 4 &&
                         args.items[0].kind == PickleValue::Kind::Tensor &&
                         args.items[1].kind == PickleValue::Kind::Int,
                     "load_state_dict_file: cannot call '", name, "' in ", path_);
    const auto sizes = int_tuple(args.items[2], "size");
    const auto strides = int_tuple(args.items[3], "stride");
    const int64_t offset = args.items[1].int_value;
    OSTEON_CHECK_ARG(sizes.size() == strides.size() && offset >= 0 && offset <= (int64_t{1} << 48),
                     "load_state_dict_file: tensor size / stride / offset do not fit in ", path_);
    // The last element the view reaches must lie inside the storage (as_strided would read
    // past it otherwise).
    int64_t last = offset;
    bool empty = false;
    for (size_t d = 0; d < sizes.size(); ++d) {
      empty |= sizes[d] == 0;
      if (sizes[d] > 0) last += (sizes[d] - 1) * strides[d];  // each term < 2^96: checked below
      OSTEON_CHECK_ARG(last <= (int64_t{1} << 60), "load_state_dict_file: tensor extent too large in ", path_);
    }
    OSTEON_CHECK_ARG(empty || last < args.items[0].tensor.numel(), "load_state_dict_file: a tensor in ", path_,
                     " reaches element ", last, " of a storage of ", args.items[0].tensor.numel(),
                     " (truncated or corrupt file)");
    auto value = PickleValue::of(PickleValue::Kind::Tensor);
    value.tensor = args.items[0].tensor.as_strided(sizes, strides, offset);
    return value;
  }
  void set_items(PickleValue& dict, std::vector<PickleValue>& flat) {
    OSTEON_CHECK_ARG(dict.kind == PickleValue::Kind::Dict && flat.size() % 2 == 0,
                     "load_state_dict_file: malformed dict in ", path_);
    for (size_t i = 0; i < flat.size(); i += 2) {
      nest(dict, flat[i]);
      nest(dict, flat[i + 1]);
      dict.entries.emplace_back(std::move(flat[i]), std::move(flat[i + 1]));
    }
  }

  void step(unsigned char opcode) {
    using Kind = PickleValue::Kind;
    switch (opcode) {
      case 0x80: read_bytes(1); break;                         // PROTO
      case 0x95: read_bytes(8); break;                         // FRAME
      case '(': stack_.push_back(PickleValue::of(Kind::Mark)); break;
      case '0': pop(); break;                                  // POP
      case 'N': stack_.push_back(PickleValue::of(Kind::None)); break;
      case 0x88: case 0x89: {                                  // NEWTRUE, NEWFALSE
        auto value = PickleValue::of(Kind::Bool);
        value.int_value = opcode == 0x88;
        stack_.push_back(value);
        break;
      }
      case 'J': stack_.push_back(make_int(read_le<int32_t>())); break;        // BININT
      case 'K': stack_.push_back(make_int(read_le<uint8_t>())); break;        // BININT1
      case 'M': stack_.push_back(make_int(read_le<uint16_t>())); break;       // BININT2
      case 0x8a: {                                             // LONG1: little-endian two's complement
        const auto n = read_le<uint8_t>();
        OSTEON_CHECK_ARG(n <= 8, "load_state_dict_file: integer too large in ", path_);
        const char* raw = read_bytes(n);
        uint64_t bits = 0;
        for (unsigned i = 0; i < n; ++i) bits |= static_cast<uint64_t>(static_cast<unsigned char>(raw[i])) << (8 * i);
        if (n > 0 && n < 8 && (raw[n - 1] & 0x80)) bits |= ~uint64_t{0} << (8 * n);
        stack_.push_back(make_int(static_cast<int64_t>(bits)));
        break;
      }
      case 'G': {                                              // BINFLOAT, big-endian double
        uint64_t bits = 0;
        const char* raw = read_bytes(8);
        for (int i = 0; i < 8; ++i) bits = (bits << 8) | static_cast<unsigned char>(raw[i]);
        auto value = PickleValue::of(Kind::Float);
        std::memcpy(&value.float_value, &bits, sizeof(double));
        stack_.push_back(value);
        break;
      }
      case 'X': {                                              // BINUNICODE
        const auto n = read_le<uint32_t>();
        stack_.push_back(make_string(std::string(read_bytes(n), n)));
        break;
      }
      case 0x8c: {                                             // SHORT_BINUNICODE
        const auto n = read_le<uint8_t>();
        stack_.push_back(make_string(std::string(read_bytes(n), n)));
        break;
      }
      case ')': stack_.push_back(PickleValue::of(Kind::Tuple)); break;      // EMPTY_TUPLE
      case 't': stack_.push_back(make_tuple(pop_to_mark())); break;        // TUPLE
      case 0x85: case 0x86: case 0x87: {                       // TUPLE1..3
        std::vector<PickleValue> items(opcode - 0x84);
        for (auto it = items.rbegin(); it != items.rend(); ++it) *it = pop();
        stack_.push_back(make_tuple(std::move(items)));
        break;
      }
      case ']': stack_.push_back(PickleValue::of(Kind::List)); break;       // EMPTY_LIST
      case 'a': {                                              // APPEND
        auto item = pop();
        OSTEON_CHECK_ARG(!stack_.empty() && stack_.back().kind == Kind::List,
                         "load_state_dict_file: malformed list in ", path_);
        nest(stack_.back(), item);
        stack_.back().items.push_back(std::move(item));
        break;
      }
      case 'e': {                                              // APPENDS
        auto items = pop_to_mark();
        OSTEON_CHECK_ARG(!stack_.empty() && stack_.back().kind == Kind::List,
                         "load_state_dict_file: malformed list in ", path_);
        for (auto& item : items) {
          nest(stack_.back(), item);
          stack_.back().items.push_back(std::move(item));
        }
        break;
      }
      case '}': stack_.push_back(PickleValue::of(Kind::Dict)); break;       // EMPTY_DICT
      case 's': {                                              // SETITEM
        std::vector<PickleValue> flat(2);
        flat[1] = pop();
        flat[0] = pop();
        OSTEON_CHECK_ARG(!stack_.empty(), "load_state_dict_file: malformed dict in ", path_);
        set_items(stack_.back(), flat);
        break;
      }
      case 'u': {                                              // SETITEMS
        auto flat = pop_to_mark();
        OSTEON_CHECK_ARG(!stack_.empty(), "load_state_dict_file: malformed dict in ", path_);
        set_items(stack_.back(), flat);
        break;
      }
      case 'c': {                                              // GLOBAL "module\nname\n"
        const std::string module = read_line();
        stack_.push_back(make_global(module, read_line()));
        break;
      }
      case 0x93: {                                             // STACK_GLOBAL
        auto name = pop();
        auto module = pop();
        stack_.push_back(make_global(module.text, name.text));
        break;
      }
      case 'R': {                                              // REDUCE
        auto args = pop();
        auto callable = pop();
        stack_.push_back(call(callable, std::move(args)));
        break;
      }
      case 'b': pop(); break;  // BUILD: state of an OrderedDict (its _metadata), not needed
      case 'Q': stack_.push_back(load_storage(pop())); break;                // BINPERSID
      case 'q': memo_[read_le<uint8_t>()] = top(); break;                          // BINPUT
      case 'r': memo_[read_le<uint32_t>()] = top(); break;                         // LONG_BINPUT
      case 0x94: memo_[memo_.size()] = top(); break;                               // MEMOIZE
      case 'h': stack_.push_back(memo(read_le<uint8_t>())); break;                 // BINGET
      case 'j': stack_.push_back(memo(read_le<uint32_t>())); break;                // LONG_BINGET
      default:
        OSTEON_CHECK_ARG(false, "load_state_dict_file: unsupported pickle opcode 0x", std::hex,
                         static_cast<int>(opcode), " in ", path_);
    }
  }

  std::string path_;
  caffe2::serialize::PyTorchStreamReader& archive_;
  std::vector<char> bytes_;
  size_t position_ = 0;
  std::vector<PickleValue> stack_;
  std::map<uint64_t, PickleValue> memo_;
  int64_t copied_nodes_ = 0;
  std::map<std::string, torch::Tensor> storages_;
};

/// Pickle protocol 2 writer of a flat {name: tensor} dict, as `torch.save(dict)` writes it.
class StateDictPickler {
 public:
  std::string bytes;
  std::vector<torch::Tensor> storages;  // record data/<i> holds storages[i]

  explicit StateDictPickler(const std::vector<std::pair<std::string, torch::Tensor>>& entries) {
    bytes += "\x80\x02}(";  // PROTO 2, EMPTY_DICT, MARK
    for (const auto& [name, tensor] : entries) {
      // contiguous and on the host: offset 0, row-major strides, one storage per tensor
      auto host = tensor.detach().to(torch::kCPU).contiguous();
      string(name);
      bytes += "ctorch._utils\n_rebuild_tensor_v2\n((";  // GLOBAL, MARK, MARK
      string("storage");
      bytes += "ctorch\n" + storage_name(host.scalar_type()) + "\n";
      string(std::to_string(storages.size()));
      string("cpu");
      integer(host.numel());
      bytes += "tQ";  // TUPLE, BINPERSID
      integer(0);
      ints(host.sizes());
      ints(host.strides());
      bytes += "\x89" "ccollections\nOrderedDict\n)Rt" "R";  // False, OrderedDict(), TUPLE, REDUCE
      storages.push_back(host);
    }
    bytes += "u.";  // SETITEMS, STOP
  }

 private:
  static std::string storage_name(c10::ScalarType dtype) {
    for (const auto& [name, type] : storage_names())
      if (type == dtype) return name;
    OSTEON_CHECK_ARG(false, "save_state_dict_file: cannot save tensors of dtype ", dtype);
    return {};
  }
  void string(const std::string& s) {
    bytes += 'X';
    append_le(static_cast<uint32_t>(s.size()), 4);
    bytes += s;
  }
  void integer(int64_t v) {
    if (v >= INT32_MIN && v <= INT32_MAX) {
      bytes += 'J';
      append_le(static_cast<uint32_t>(static_cast<int32_t>(v)), 4);
    } else {
      bytes += "\x8a\x08";  // LONG1, 8 bytes
      append_le(static_cast<uint64_t>(v), 8);
    }
  }
  void ints(c10::IntArrayRef values) {
    bytes += '(';
    for (int64_t v : values) integer(v);
    bytes += 't';
  }
  void append_le(uint64_t v, int n) {
    for (int i = 0; i < n; ++i) bytes += static_cast<char>((v >> (8 * i)) & 0xff);
  }
};

}  // namespace osteon::io::detail
