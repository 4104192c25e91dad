// NF4 weights on a torch device and the NF4 matmul autograd Function (see nf4_weight.h).
#include "engine/nf4_weight.h"

#include "quant/cuda/nf4_dequant_cuda.h"
#include "quant/nf4_kernels.h"

#include <cstring>
#include <stdexcept>

#include "engine/engine_impl.h"
#include "engine/gemm.h"
#include "quant/double_quant.h"

namespace ts::engine {

namespace {

torch::Tensor tableOn(torch::Device device)
{
    return torch::tensor(std::vector<float>(kNf4Code.begin(), kNf4Code.end()), torch::kFloat).to(device);
}

torch::Tensor floatTensor(const std::vector<float>& values, torch::Device device)
{
    return torch::tensor(values, torch::kFloat).to(device);
}

torch::Tensor byteTensor(const std::vector<uint8_t>& values, torch::Device device)
{
    auto t = torch::empty({static_cast<int64_t>(values.size())}, torch::kByte);
    if (!values.empty())
        std::memcpy(t.data_ptr<uint8_t>(), values.data(), values.size());
    return t.to(device);
}

torch::ScalarType scalarTypeOf(std::string_view torchName)
{
    auto d = dtypeFromTorchName(torchName);
    if (d == DType::F16)
        return torch::kHalf;
    if (d == DType::BF16)
        return torch::kBFloat16;
    return torch::kFloat;
}

// Holds the weight (and buffer) for backward; a capsule keeps them alive with the graph.
struct MatmulState : torch::CustomClassHolder
{
    Nf4Weight weight;
    torch::Tensor bias;
    std::shared_ptr<DequantBuffer> buffer;
};

torch::Tensor dequantized(const MatmulState& s, torch::ScalarType dtype)
{
    if (!s.buffer)
        return s.weight.dequantize(dtype);
    torch::Tensor w = s.buffer->view(s.weight.shape(), dtype, s.weight.device());
    s.weight.dequantizeInto(w, dtype);
    return w;
}

class Nf4MatmulFunction : public torch::autograd::Function<Nf4MatmulFunction>
{
public:
    // x2: (N, in) → (N, out)
    static torch::Tensor forward(torch::autograd::AutogradContext* ctx, const torch::Tensor& x2,
                                 const c10::intrusive_ptr<MatmulState>& state)
    {
        ctx->saved_data["state"] = c10::IValue::make_capsule(state);
        const auto w = dequantized(*state, x2.scalar_type());
        // Autograd is off inside forward, so DenseLinear may take its own kernels (gemm / gemv).
        const auto bias = state->bias.defined() ? state->bias.to(x2.scalar_type()) : torch::Tensor();
        return engine::DenseLinear(w, bias).forward(x2);
    }

    static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                   torch::autograd::variable_list grads)
    {
        auto holder = ctx->saved_data["state"].toCapsule();
        const auto& state = static_cast<const MatmulState&>(*holder);
        const auto& grad = grads[0];
        torch::Tensor gradX;
        if (grad.defined()) {
            const auto w = dequantized(state, grad.scalar_type());
            if (engine::linearApplies(grad, w.t()) && w.is_contiguous()) {
                // (N, out) · (out, in) on the engine's kernel (the system BLAS can be a generic one):
                // gradX(n, i) = Σ_o grad(n, o) w(o, i), i.e. x = grad and "weight rows" = w's columns.
                const auto g = grad.contiguous();
                const int64_t rows = g.size(0), out = w.size(0), in = w.size(1);
                gradX = torch::empty({rows, in}, g.options());
                engine::gemmStrided(rows, in, out, g.data_ptr<float>(), out, 1, w.data_ptr<float>(), 1, in, nullptr,
                                    gradX.data_ptr<float>(), false);
            } else {
                gradX = at::mm(grad, w); // (N, out) · (out, in)
            }
        }
        return {gradX, torch::Tensor()};
    }
};

} // namespace

// ---------------------------------------------------------------------------------------------
// Nf4Weight

Nf4Weight Nf4Weight::quantize(const torch::Tensor& dense, int64_t blocksize, bool doubleQuant,
                              std::optional<torch::Device> device)
{
    auto w = quantize(dense, CancelToken {}, blocksize, doubleQuant, device);
    if (!w)
        throw std::invalid_argument(w.error().message);
    return std::move(*w);
}

Expected<Nf4Weight> Nf4Weight::quantize(const torch::Tensor& dense, const CancelToken& cancel, int64_t blocksize,
                                        bool doubleQuant, std::optional<torch::Device> device)
{
    const auto type = dense.scalar_type();
    if (type != torch::kFloat && type != torch::kHalf && type != torch::kBFloat16 && type != torch::kDouble)
        return makeError("NF4 quantization needs a floating-point tensor");
    if (dense.dim() == 0 || dense.numel() == 0)
        return makeError("NF4 quantization needs a non-empty tensor");
    torch::NoGradGuard noGrad;
    // f16 / bf16 widen exactly to fp32, as bnb does before quantizing.
    auto values = dense.detach().to(torch::kCPU, torch::kFloat).contiguous();
    auto q = nf4Quantize(std::span<const float>(values.data_ptr<float>(), static_cast<size_t>(values.numel())),
                         blocksize, cancel);
    if (!q)
        return q.error();
    return fromData(*q, dense.sizes().vec(), doubleQuant, type == torch::kDouble ? torch::kFloat : type,
                    device.value_or(dense.device()));
}

Nf4Weight Nf4Weight::fromData(const Nf4Data& data, std::vector<int64_t> shape, bool doubleQuant,
                              torch::ScalarType dtype, torch::Device device)
{
    Nf4Weight w;
    w.m_shape = std::move(shape);
    w.m_numel = data.numel;
    w.m_blocksize = data.blocksize;
    w.m_dtype = dtype;
    w.m_packed = byteTensor(data.packed, device);
    w.m_table = tableOn(device);
    if (doubleQuant) {
        const auto dq = doubleQuantize(data.absmax);
        w.m_absmax = byteTensor(dq.codes, device);
        w.m_nestedAbsmax = floatTensor(dq.nestedAbsmax, device);
        w.m_nestedMap = floatTensor(dq.nestedMap, device);
        w.m_offset = dq.offset;
    } else {
        w.m_absmax = floatTensor(data.absmax, device);
    }
    return w;
}

Expected<Nf4Weight> Nf4Weight::fromCheckpoint(const BnbNf4Weight& c, torch::Device device)
{
    return engine::guarded<Nf4Weight>("NF4 weight '" + c.name + "'", [&]() -> Expected<Nf4Weight> {
        Nf4Weight w;
        w.m_shape = c.state.shape;
        w.m_numel = c.numel;
        w.m_blocksize = c.state.blocksize;
        w.m_dtype = scalarTypeOf(c.state.dtype);
        // from_blob needs a mutable pointer; the codes are only ever read.
        auto packed = torch::from_blob(const_cast<uint8_t*>(c.packed.data()), {static_cast<int64_t>(c.packed.size())},
                                       torch::kByte);
        w.m_packed = device.is_cpu() ? packed : packed.to(device);
        w.m_table = tableOn(device);
        if (c.state.nested()) {
            w.m_absmax = byteTensor(c.absmaxCodes, device);
            w.m_nestedAbsmax = floatTensor(c.nestedAbsmax, device);
            w.m_nestedMap = floatTensor(c.nestedMap, device);
            w.m_offset = c.offset;
        } else {
            w.m_absmax = floatTensor(c.absmax, device);
        }
        return w;
    });
}

torch::Tensor Nf4Weight::blockScales() const
{
    torch::NoGradGuard noGrad;
    if (!doubleQuant())
        return m_absmax;
    const int64_t blocks = m_absmax.size(0);
    // map[code] · nested[block / 256], then + offset: two fp32 roundings, as bnb and the codec.
    auto scales = m_nestedMap.index_select(0, m_absmax.to(torch::kInt));
    auto nested = m_nestedAbsmax.repeat_interleave(kNestedBlocksize).narrow(0, 0, blocks);
    scales.mul_(nested);
    scales.add_(static_cast<double>(m_offset));
    return scales;
}

bool Nf4Weight::dequantizeWithKernel(torch::Tensor& out, torch::ScalarType dtype) const
{
    // The hand-written kernels compute table · scale in fp32 and round once to the output dtype,
    // which equals the reference path when the weight's own dtype is fp32 or the output dtype.
    if (m_dtype != torch::kFloat && m_dtype != dtype)
        return false;
    const bool cpu = device().is_cpu();
    if (cpu && dtype != torch::kFloat)
        return false;
    if (!cpu && (!device().is_cuda() || !nf4HaveCudaKernels()))
        return false;
    if (!(out.defined() && out.scalar_type() == dtype && out.device() == device() && out.is_contiguous()
          && out.numel() == m_numel))
        out = torch::empty(m_shape, torch::TensorOptions().dtype(dtype).device(device()));
    const auto scales = blockScales().to(torch::kFloat).contiguous();
    const auto packed = m_packed.contiguous();
    if (cpu) {
        nf4DequantizeCpu(packed.data_ptr<uint8_t>(), scales.data_ptr<float>(), m_numel, m_blocksize,
                         m_table.data_ptr<float>(), out.data_ptr<float>());
    } else {
        const Nf4OutType type = dtype == torch::kFloat ? Nf4OutType::F32
            : dtype == torch::kHalf                    ? Nf4OutType::F16
                                                       : Nf4OutType::BF16;
        if (dtype != torch::kFloat && dtype != torch::kHalf && dtype != torch::kBFloat16)
            return false;
        if (!nf4DequantizeCuda(packed.data_ptr<uint8_t>(), scales.data_ptr<float>(), m_numel, m_blocksize,
                               m_table.data_ptr<float>(), out.data_ptr(), type,
                               engine::compat::currentCudaStream(device())))
            throw std::runtime_error("NF4 CUDA dequantization kernel failed to launch");
    }
    out = out.view(m_shape);
    return true;
}

void Nf4Weight::dequantizeInto(torch::Tensor& out, torch::ScalarType dtype) const
{
    if (!defined())
        throw std::logic_error("dequantize of an empty Nf4Weight");
    torch::NoGradGuard noGrad;
    const int64_t n = m_numel, bs = m_blocksize;
    if (dequantizeWithKernel(out, dtype))
        return;
    // The torch-ops reference path (any device and dtype).
    // Codes: high nibble (even elements) and low nibble (odd elements) via shifts.
    auto hi = at::bitwise_right_shift(m_packed, 4);
    auto lo = at::bitwise_and(m_packed, 15);
    auto codes = at::stack({hi, lo}, 1).view({-1}).narrow(0, 0, n).to(torch::kInt);
    // fp32 values: table lookup, then the block scale.
    const bool direct = dtype == torch::kFloat && m_dtype == torch::kFloat && out.defined()
        && out.scalar_type() == torch::kFloat && out.device() == device() && out.is_contiguous() && out.numel() == n;
    torch::Tensor values;
    if (direct) {
        values = out.view({-1});
        at::index_select_out(values, m_table, 0, codes);
    } else {
        values = m_table.index_select(0, codes);
    }
    const auto scales = blockScales();
    const int64_t fullBlocks = n / bs, full = fullBlocks * bs;
    if (fullBlocks > 0)
        values.narrow(0, 0, full).view({fullBlocks, bs}).mul_(scales.narrow(0, 0, fullBlocks).unsqueeze(1));
    if (full < n)
        values.narrow(0, full, n - full).mul_(scales.narrow(0, fullBlocks, 1));
    if (direct) {
        out = out.view(m_shape);
        return;
    }
    // Round to the weight's own dtype first (bnb dequantizes to quant_state.dtype, then casts).
    if (m_dtype != torch::kFloat && m_dtype != dtype)
        values = values.to(m_dtype);
    values = values.view(m_shape);
    if (out.defined() && out.scalar_type() == dtype && out.device() == device() && out.sizes() == values.sizes()
        && out.is_contiguous()) {
        out.copy_(values);
    } else {
        out = values.to(dtype).contiguous();
    }
}

torch::Tensor Nf4Weight::dequantize(torch::ScalarType dtype) const
{
    torch::Tensor out;
    dequantizeInto(out, dtype);
    return out;
}

int64_t Nf4Weight::storageBytes() const
{
    int64_t bytes = m_packed.numel() + m_absmax.numel() * static_cast<int64_t>(m_absmax.element_size());
    if (doubleQuant())
        bytes += (m_nestedAbsmax.numel() + m_nestedMap.numel()) * 4;
    return bytes;
}

Nf4Weight Nf4Weight::to(torch::Device device) const
{
    if (!defined() || this->device() == device)
        return *this;
    Nf4Weight w = *this;
    for (torch::Tensor* t : {&w.m_packed, &w.m_absmax, &w.m_nestedAbsmax, &w.m_nestedMap, &w.m_table})
        if (t->defined())
            *t = t->to(device);
    return w;
}

// ---------------------------------------------------------------------------------------------
// DequantBuffer, nf4Matmul, Nf4Linear

torch::Tensor DequantBuffer::view(const std::vector<int64_t>& shape, torch::ScalarType dtype, torch::Device device)
{
    int64_t n = 1;
    for (int64_t d : shape)
        n *= d;
    // An inference tensor (allocated under InferenceMode) cannot be written outside of it.
    const bool unusable = m_storage.defined() && m_storage.is_inference() && !c10::InferenceMode::is_enabled();
    if (!m_storage.defined() || unusable || m_storage.scalar_type() != dtype || m_storage.device() != device
        || m_storage.numel() < n)
        m_storage = torch::empty({n}, torch::TensorOptions().dtype(dtype).device(device));
    return m_storage.narrow(0, 0, n).view(shape);
}

torch::Tensor nf4Matmul(const torch::Tensor& x, const Nf4Weight& weight, const torch::Tensor& bias,
                        const std::shared_ptr<DequantBuffer>& buffer)
{
    const int64_t in = weight.shape()[1], out = weight.shape()[0];
    auto shape = x.sizes().vec();
    shape.back() = out;
    auto state = c10::make_intrusive<MatmulState>();
    state->weight = weight;
    state->bias = bias.defined() ? bias.detach() : bias;
    state->buffer = buffer;
    auto y = Nf4MatmulFunction::apply(x.reshape({-1, in}), state);
    return y.view(shape);
}

Nf4Linear::Nf4Linear(Nf4Weight weight, torch::Tensor bias, std::shared_ptr<DequantBuffer> buffer)
    : m_weight(std::move(weight))
    , m_bias(std::move(bias))
    , m_buffer(std::move(buffer))
{
    if (m_weight.shape().size() != 2)
        throw std::invalid_argument("Nf4Linear needs a 2-D (out, in) weight");
}

torch::Tensor Nf4Linear::forward(const torch::Tensor& x) const
{
    return nf4Matmul(x, m_weight, m_bias, m_buffer);
}

} // namespace ts::engine
