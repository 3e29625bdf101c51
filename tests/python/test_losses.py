"""osteon.losses against outside references: MONAI 1.5 (fixture written by
scripts/make_reference_losses.py), torch's own cross_entropy / binary_cross_entropy_with_logits,
torchvision's sigmoid_focal_loss, torch.autograd.gradcheck; plus errors, saturated logits,
bfloat16 autocast and the nn.Module contract."""
import json
import math
import os

import pytest
import torch
import torch.nn.functional as TF

import osteon
from osteon import losses

DATA = os.path.join(os.path.dirname(__file__), "..", "data")
with open(os.path.join(DATA, "losses_monai_reference.json")) as _f:
    REFERENCE = json.load(_f)
# MONAI's soft_label=True cases (Dice, generalised Dice, Tversky), on inputs of their own.
with open(os.path.join(DATA, "losses_soft_label_monai_reference.json")) as _f:
    SOFT_LABEL_REFERENCE = json.load(_f)

MODULES = {
    "DiceLoss": (losses.DiceLoss, losses.dice_loss),
    "GeneralizedDiceLoss": (losses.GeneralizedDiceLoss, losses.generalized_dice_loss),
    "TverskyLoss": (losses.TverskyLoss, losses.tversky_loss),
    "FocalLoss": (losses.FocalLoss, losses.focal_loss),
    "DiceCELoss": (losses.DiceCELoss, losses.dice_ce_loss),
    "DiceFocalLoss": (losses.DiceFocalLoss, losses.dice_focal_loss),
}


def stored(name, document=REFERENCE):
    t = document["tensors"][name] if isinstance(name, str) else name
    dtype = torch.int64 if t["dtype"] == "int64" else torch.float32
    return torch.tensor(t["values"], dtype=dtype).reshape(t["shape"])


def keywords(kwargs):
    out = dict(kwargs)
    if out.get("other_act") == "tanh":
        out["other_act"] = torch.tanh
    return out


def assert_close(ours, expected, tolerance=1e-6):
    ours = ours.detach().double().reshape(-1)
    expected = expected.double().reshape(-1)
    assert ours.numel() == expected.numel()
    excess = ((ours - expected).abs() - tolerance * (1 + expected.abs())).max().item()
    assert excess <= 0, (ours, expected)


MONAI_CASES = [(REFERENCE, c) for c in REFERENCE["cases"]] + [(SOFT_LABEL_REFERENCE, c) for c in SOFT_LABEL_REFERENCE["cases"]]


@pytest.mark.parametrize("document,case", MONAI_CASES, ids=[c["name"] for _, c in MONAI_CASES])
def test_equals_monai(document, case):
    module, functional = MODULES[case["loss"]]
    x, y = stored(case["input"], document), stored(case["target"], document)
    expected = stored(case["expected"]) * case["scale"]
    kwargs = keywords(case["kwargs"])
    value = module(**kwargs)(x, y)
    assert value.dtype == torch.float32
    assert_close(value, expected)
    assert_close(functional(x, y, **kwargs), expected)


def test_sigmoid_focal_equals_torchvision():
    torchvision_ops = pytest.importorskip("torchvision.ops")
    torch.manual_seed(0)
    x = torch.randn(4, 3, 5, 5, dtype=torch.float64)
    y = (torch.rand(4, 3, 5, 5) > 0.7).double()
    for reduction in ("mean", "sum", "none"):
        for gamma, alpha in ((2.0, 0.25), (0.5, 0.9), (0.0, -1)):
            expected = torchvision_ops.sigmoid_focal_loss(x, y, alpha=alpha, gamma=gamma, reduction=reduction)
            kwargs = {"gamma": gamma, "reduction": reduction}
            if alpha >= 0:
                kwargs["alpha"] = alpha
            torch.testing.assert_close(losses.focal_loss(x, y, **kwargs), expected, rtol=1e-12, atol=1e-14)


def test_focal_gamma_zero_is_torch_cross_entropy():
    torch.manual_seed(1)
    x = torch.randn(6, 4, 3, dtype=torch.float64)
    y = torch.randint(0, 4, (6, 3))
    y[0, 0] = -100
    y[2, 1] = 2  # keep some of every kind
    torch.testing.assert_close(losses.focal_loss(x, y, gamma=0.0, use_softmax=True), TF.cross_entropy(x, y),
                               rtol=1e-12, atol=1e-14)
    torch.testing.assert_close(losses.focal_loss(x, y, gamma=0.0, use_softmax=True, reduction="none"),
                               TF.cross_entropy(x, y, reduction="none"), rtol=1e-12, atol=1e-14)
    binary = (torch.rand(6, 4, 3) > 0.5).double()
    torch.testing.assert_close(losses.focal_loss(x, binary, gamma=0.0),
                               TF.binary_cross_entropy_with_logits(x, binary), rtol=1e-12, atol=1e-14)


def test_cross_entropy_equals_torch():
    torch.manual_seed(2)
    x = torch.randn(3, 4, 2, 5, dtype=torch.float64)
    y = torch.randint(0, 4, (3, 2, 5))
    w = torch.tensor([0.5, 1.0, 2.0, 1.5], dtype=torch.float64)
    expected = TF.cross_entropy(x, y, weight=w, label_smoothing=0.2)
    torch.testing.assert_close(losses.cross_entropy(x, y, weight=w, label_smoothing=0.2), expected)
    torch.testing.assert_close(losses.cross_entropy(x, y[:, None], weight=[0.5, 1.0, 2.0, 1.5], label_smoothing=0.2),
                               expected)
    probabilities = torch.softmax(torch.randn(3, 4, 2, 5, dtype=torch.float64), 1)
    torch.testing.assert_close(losses.cross_entropy(x, probabilities), TF.cross_entropy(x, probabilities))
    logit = torch.randn(7, 1, dtype=torch.float64)
    target = (torch.rand(7, 1) > 0.5).double()
    torch.testing.assert_close(
        losses.cross_entropy(logit, target, weight=torch.tensor([3.0], dtype=torch.float64), label_smoothing=0.1),
        TF.binary_cross_entropy_with_logits(logit, target * 0.9 + 0.05, pos_weight=torch.tensor([3.0], dtype=torch.float64)))


def test_ce_focal_is_the_sum_of_torch_and_torchvision_terms():
    torchvision_ops = pytest.importorskip("torchvision.ops")
    torch.manual_seed(3)
    x = torch.randn(64, 2, dtype=torch.float64)
    y = torch.randint(0, 2, (64,))
    # Softmax focal at two classes by hand: -(1 - p_y)^γ log p_y, α = (1 - a, a).
    log_p = torch.log_softmax(x, 1).gather(1, y[:, None])[:, 0]
    alpha = torch.where(y == 1, 0.75, 0.25).double()
    focal = (-alpha * (1 - log_p.exp()) ** 2 * log_p).mean()
    expected = 0.5 * TF.cross_entropy(x, y, label_smoothing=0.1) + 2.0 * focal
    ours = losses.CEFocalLoss(alpha=0.75, label_smoothing=0.1, lambda_ce=0.5, lambda_focal=2.0)(x, y)
    torch.testing.assert_close(ours, expected, rtol=1e-12, atol=1e-14)
    # One logit: BCE + sigmoid focal (torchvision).
    logit = torch.randn(64, 1, dtype=torch.float64)
    target = y[:, None].double()
    expected = TF.binary_cross_entropy_with_logits(logit, target) + torchvision_ops.sigmoid_focal_loss(
        logit, target, alpha=0.25, gamma=2.0, reduction="mean")
    torch.testing.assert_close(losses.ce_focal_loss(logit, target, alpha=0.25), expected, rtol=1e-12, atol=1e-14)


def test_dice_focal_softmax_uses_the_softmax_focal_loss():
    torch.manual_seed(4)
    x = torch.randn(2, 3, 4, 4, dtype=torch.float64)
    y = torch.randint(0, 3, (2, 1, 4, 4))
    ours = losses.dice_focal_loss(x, y, softmax=True, gamma=2.0, lambda_focal=0.5)
    expected = losses.dice_loss(x, y, softmax=True) + 0.5 * losses.focal_loss(x, y, use_softmax=True, gamma=2.0)
    torch.testing.assert_close(ours, expected, rtol=1e-14, atol=1e-15)


GRADCHECK_CASES = [
    ("focal sigmoid", lambda x, y, s: losses.focal_loss(x, s, alpha=0.3)),
    ("focal softmax", lambda x, y, s: losses.focal_loss(x, y, use_softmax=True, gamma=0.5, weight=[0.5, 1, 2])),
    ("focal none", lambda x, y, s: losses.focal_loss(x, y, use_softmax=True, reduction="none")),
    ("focal softmax alpha ignored", lambda x, y, s: losses.focal_loss(
        x, y.masked_fill(y == 1, -100), use_softmax=True, gamma=1.5, alpha=0.25, include_background=False)),
    ("cross entropy", lambda x, y, s: losses.cross_entropy(x, y, label_smoothing=0.1)),
    ("dice", lambda x, y, s: losses.dice_loss(x, y, softmax=True, include_background=False)),
    ("dice squared jaccard batch", lambda x, y, s: losses.dice_loss(x, s, sigmoid=True, squared_pred=True, jaccard=True, batch=True)),
    ("generalized dice", lambda x, y, s: losses.generalized_dice_loss(x, y, softmax=True, w_type="simple")),
    ("tversky", lambda x, y, s: losses.tversky_loss(x, y, softmax=True, alpha=0.3, beta=0.7, reduction="none")),
    ("dice soft_label", lambda x, y, s: losses.dice_loss(x, s, sigmoid=True, soft_label=True, jaccard=True)),
    ("generalized dice soft_label", lambda x, y, s: losses.generalized_dice_loss(x, s, softmax=True, soft_label=True)),
    ("tversky soft_label", lambda x, y, s: losses.tversky_loss(x, s, sigmoid=True, alpha=0.3, beta=0.7, soft_label=True)),
    ("dice ce", lambda x, y, s: losses.dice_ce_loss(x, y, softmax=True, weight=[1, 2, 3])),
    ("dice focal", lambda x, y, s: losses.dice_focal_loss(x, y, softmax=True)),
    ("ce focal", lambda x, y, s: losses.ce_focal_loss(x, y, alpha=0.25)),
]


@pytest.mark.parametrize("name,loss", GRADCHECK_CASES, ids=[c[0] for c in GRADCHECK_CASES])
def test_gradcheck(name, loss):
    torch.manual_seed(5)
    x = torch.randn(2, 3, 3, 2, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 3, (2, 1, 3, 2))
    s = torch.rand(2, 3, 3, 2, dtype=torch.float64)
    assert torch.autograd.gradcheck(lambda t: loss(t, y, s), (x,))


@pytest.mark.parametrize("gamma", [0.0, 0.5, 2.0])
def test_softmax_focal_second_derivatives(gamma):
    # The label-map softmax focal loss has a written-out gradient; under create_graph it
    # differentiates the composite form, so second derivatives exist.
    torch.manual_seed(5)
    x = torch.randn(4, 3, 2, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 3, (4, 1, 2))
    assert torch.autograd.gradgradcheck(
        lambda t: losses.focal_loss(t, y, use_softmax=True, gamma=gamma, weight=[0.5, 1, 2]), (x,))


def test_label_map_dice_second_derivatives():
    # CPU label maps take a written-out gradient (label_map_sums.hpp); under create_graph it
    # differentiates the composite form.
    torch.manual_seed(6)
    x = torch.randn(2, 3, 4, dtype=torch.float64, requires_grad=True)
    y = torch.randint(0, 3, (2, 1, 4))
    assert torch.autograd.gradgradcheck(lambda t: losses.dice_loss(t, y, softmax=True, squared_pred=True), (x,))
    assert torch.autograd.gradgradcheck(lambda t: losses.tversky_loss(t, y, softmax=True, alpha=0.3, beta=0.7), (x,))


def test_dice_l2_with_a_python_model():
    torch.manual_seed(6)
    model = torch.nn.Sequential(torch.nn.Conv3d(1, 2, 3), torch.nn.BatchNorm3d(2), torch.nn.Conv3d(2, 1, 1),
                                torch.nn.GroupNorm(1, 1))
    selected = losses.regularised_parameters(model)
    assert [p.data_ptr() for p in selected] == [model[0].weight.data_ptr(), model[2].weight.data_ptr()]
    assert len(losses.regularised_parameters(model, exclude_norm_and_bias=False)) == len(list(model.parameters()))
    criterion = losses.DiceL2Loss(model, sigmoid=True, lambda_l2=1e-2)
    assert isinstance(criterion, torch.nn.Module) and list(criterion.parameters()) == []
    volume = torch.randn(1, 1, 5, 5, 5)
    mask = (torch.rand(1, 1, 3, 3, 3) > 0.5).float()
    prediction = model(volume)
    value = criterion(prediction, mask)
    expected = losses.dice_loss(prediction, mask, sigmoid=True) + 1e-2 * sum((p ** 2).sum() for p in selected)
    torch.testing.assert_close(value, expected)
    # The regulariser's gradient is 2 λ w on each selected weight, nothing on the others.
    model.zero_grad()
    (value - losses.dice_loss(prediction, mask, sigmoid=True)).backward()
    torch.testing.assert_close(model[0].weight.grad, 2e-2 * model[0].weight.detach())
    assert model[0].bias.grad is None or torch.count_nonzero(model[0].bias.grad) == 0
    # A parameter list works as well as a model.
    torch.testing.assert_close(losses.dice_l2_loss(prediction, mask, selected, sigmoid=True, lambda_l2=1e-2), value)
    torch.testing.assert_close(losses.l2_penalty(model.parameters()), sum((p ** 2).sum() for p in model.parameters()))


def test_dice_l2_with_an_osteon_model():
    if not hasattr(osteon.nn, "VNet"):
        pytest.skip("osteon.nn.VNet not built")
    vnet = osteon.nn.VNet(spatial_dims=3, in_channels=1, out_channels=1)
    selected = losses.regularised_parameters(vnet)
    names = {p.data_ptr(): n for n, p in vnet.named_parameters()}
    assert selected and all(not names[p.data_ptr()].endswith("bias") and p.dim() > 1 for p in selected)
    expected = [p for n, p in vnet.named_parameters() if not n.endswith("bias") and p.dim() > 1]
    assert [p.data_ptr() for p in selected] == [p.data_ptr() for p in expected]
    assert len(losses.regularised_parameters(vnet, exclude_norm_and_bias=False)) == len(list(vnet.parameters()))


@pytest.mark.parametrize("magnitude", [1e4, -1e4])
def test_saturated_logits_stay_finite(magnitude):
    torch.manual_seed(7)
    labels = torch.randint(0, 3, (2, 1, 4, 4))
    onehot = torch.zeros(2, 3, 4, 4).scatter_(1, labels, 1)
    calls = [
        lambda x: losses.focal_loss(x, onehot),
        lambda x: losses.focal_loss(x, labels, use_softmax=True, gamma=0.5),
        lambda x: losses.dice_loss(x, labels, softmax=True),
        lambda x: losses.dice_loss(x, onehot, sigmoid=True, smooth_nr=0.0, smooth_dr=0.0),
        lambda x: losses.generalized_dice_loss(x, labels, softmax=True),
        lambda x: losses.tversky_loss(x, onehot, sigmoid=True),
        lambda x: losses.dice_ce_loss(x, labels, softmax=True),
        lambda x: losses.dice_focal_loss(x, labels, sigmoid=True),
        lambda x: losses.ce_focal_loss(x, labels),
    ]
    sign = torch.randint(0, 2, (2, 3, 4, 4)).float() * 2 - 1
    for logits in (onehot * 2e4 - 1e4, (1 - onehot) * 2e4 - 1e4, sign * magnitude):
        for call in calls:
            x = logits.clone().requires_grad_(True)
            value = call(x)
            value.backward()
            assert torch.isfinite(value).all() and torch.isfinite(x.grad).all()


def test_empty_masks_give_documented_values():
    empty = torch.zeros(1, 1, 8)
    off = torch.full((1, 1, 8), -1e4)
    assert losses.dice_loss(off, empty, sigmoid=True).item() == 0.0
    assert losses.dice_loss(off, empty, sigmoid=True, smooth_nr=0.0, smooth_dr=0.0).item() == 0.0
    assert losses.dice_loss(torch.ones(1, 1, 8), empty).item() == pytest.approx(1 - 1e-5 / (8 + 1e-5))
    assert losses.focal_loss(torch.randn(4, 3), torch.full((4,), -100), use_softmax=True).item() == 0.0


def test_bfloat16_autocast():
    torch.manual_seed(8)
    conv = torch.nn.Conv2d(1, 3, 3, padding=1)
    image = torch.randn(2, 1, 16, 16)
    labels = torch.randint(0, 3, (2, 1, 16, 16))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        logits = conv(image)
        assert logits.dtype == torch.bfloat16
        value = losses.DiceCELoss(softmax=True)(logits, labels)
        focal = losses.focal_loss(logits, labels, use_softmax=True)
    assert value.dtype == torch.float32 and focal.dtype == torch.float32
    assert value.item() == pytest.approx(losses.dice_ce_loss(logits.float(), labels, softmax=True).item(), rel=1e-6)
    value.backward()
    assert torch.isfinite(conv.weight.grad).all()


def test_modules_are_torch_modules_with_buffers():
    criterion = losses.DiceCELoss(softmax=True, weight=[1.0, 2.0, 3.0])
    assert isinstance(criterion, torch.nn.Module)
    assert list(criterion.parameters()) == []
    buffers = dict(criterion.named_buffers())
    assert buffers["class_weight"].tolist() == [1.0, 2.0, 3.0]
    criterion.to(torch.float64)
    assert dict(criterion.named_buffers())["class_weight"].dtype == torch.float64
    x = torch.randn(2, 3, 4, 4, dtype=torch.float64)
    y = torch.randint(0, 3, (2, 1, 4, 4))
    torch.testing.assert_close(criterion(x, y), losses.dice_ce_loss(x, y, softmax=True, weight=torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)))
    assert "alpha" in dict(losses.FocalLoss(alpha=[0.2, 0.8], use_softmax=True).named_buffers())


@pytest.mark.skipif(not torch.cuda.is_available(), reason="no GPU")
def test_results_stay_on_the_gpu():
    x = torch.randn(2, 3, 8, 8, 8, device="cuda")
    y = torch.randint(0, 3, (2, 1, 8, 8, 8), device="cuda")
    for value in (losses.dice_ce_loss(x, y, softmax=True), losses.focal_loss(x, y, use_softmax=True),
                  losses.DiceLoss(softmax=True, weight=[1, 2, 3]).cuda()(x, y)):
        assert value.device.type == "cuda"


def test_errors_name_the_argument_and_value():
    x = torch.randn(2, 3, 4)
    labels = torch.randint(0, 3, (2, 1, 4))
    with pytest.raises(ValueError, match="gamma must be a finite value >= 0, got -1"):
        losses.FocalLoss(gamma=-1.0)
    with pytest.raises(ValueError, match="gamma must be a finite value >= 0, got -0.5"):
        losses.focal_loss(x, labels, gamma=-0.5)
    with pytest.raises(ValueError, match="at most one of sigmoid, softmax and other_act may be set"):
        losses.DiceLoss(sigmoid=True, softmax=True)
    with pytest.raises(ValueError, match="other_act=set"):
        losses.dice_loss(x, labels, softmax=True, other_act=torch.tanh)
    with pytest.raises(RuntimeError, match=r"target shape \[2, 2, 4\] does not fit input shape \[2, 3, 4\]"):
        losses.dice_loss(x, torch.zeros(2, 2, 4))
    with pytest.raises(RuntimeError, match=r"target holds class index 7, outside \[0, 3\)"):
        losses.dice_ce_loss(x, torch.full((2, 1, 4), 7), softmax=True)
    with pytest.raises(RuntimeError, match=r"weight must be a scalar or have one entry per channel of the loss \(3\), got shape \[2\]"):
        losses.DiceLoss(weight=[1.0, 2.0])(x, labels)
    with pytest.raises(ValueError, match="weight must lie in"):
        losses.DiceCELoss(weight=[1.0, -2.0, 1.0])
    with pytest.raises(ValueError, match="alpha must lie in"):
        losses.FocalLoss(alpha=1.5)
    with pytest.raises(ValueError, match="reduction must be 'none', 'mean' or 'sum', got 'avg'"):
        losses.DiceLoss(reduction="avg")
    with pytest.raises(ValueError, match="reduction must be mean or sum"):
        losses.DiceCELoss(reduction="none")
    with pytest.raises(TypeError, match="unexpected keyword argument 'softmx'"):
        losses.DiceLoss(softmx=True)
    with pytest.raises(TypeError, match="other_act must be None or callable"):
        losses.DiceLoss(other_act=3)
    with pytest.raises(RuntimeError, match="class index 5"):
        losses.check_label_map(torch.tensor([0, 5, -100]), 4)


# MONAI 1.5's defaults (monai/losses/dice.py, focal_loss.py, tversky.py): the bindings read ours from
# the C++ options and declare them as real keyword-only arguments, so inspect and help() show them.
MONAI_DEFAULTS = {
    "DiceLoss": dict(include_background=True, to_onehot_y=False, sigmoid=False, softmax=False, other_act=None,
                     squared_pred=False, jaccard=False, reduction="mean", smooth_nr=1e-5, smooth_dr=1e-5,
                     batch=False, weight=None, soft_label=False),
    "GeneralizedDiceLoss": dict(include_background=True, to_onehot_y=False, sigmoid=False, softmax=False,
                                other_act=None, w_type="square", reduction="mean", smooth_nr=1e-5,
                                smooth_dr=1e-5, batch=False, soft_label=False),
    "TverskyLoss": dict(include_background=True, to_onehot_y=False, sigmoid=False, softmax=False, other_act=None,
                        alpha=0.5, beta=0.5, reduction="mean", smooth_nr=1e-5, smooth_dr=1e-5, batch=False,
                        soft_label=False),
    "FocalLoss": dict(include_background=True, to_onehot_y=False, gamma=2.0, alpha=None, weight=None,
                      reduction="mean", use_softmax=False),
    "DiceCELoss": dict(include_background=True, to_onehot_y=False, sigmoid=False, softmax=False, other_act=None,
                       squared_pred=False, jaccard=False, reduction="mean", smooth_nr=1e-5, smooth_dr=1e-5,
                       batch=False, weight=None, lambda_dice=1.0, lambda_ce=1.0, label_smoothing=0.0),
    "DiceFocalLoss": dict(include_background=True, to_onehot_y=False, sigmoid=False, softmax=False, other_act=None,
                          squared_pred=False, jaccard=False, reduction="mean", smooth_nr=1e-5, smooth_dr=1e-5,
                          batch=False, gamma=2.0, weight=None, lambda_dice=1.0, lambda_focal=1.0, alpha=None),
}


@pytest.mark.parametrize("name", sorted(MONAI_DEFAULTS))
def test_keywords_are_real_arguments_with_monai_defaults(name):
    import inspect
    module, functional = MODULES[name]
    for callable_, skip in ((module, 0), (functional, 2)):
        parameters = list(inspect.signature(callable_).parameters.values())[skip:]
        assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters), callable_
        defaults = {p.name: p.default for p in parameters}
        for keyword, expected in MONAI_DEFAULTS[name].items():
            assert keyword in defaults, (name, keyword)
            assert defaults[keyword] == expected, (name, keyword, defaults[keyword])
    assert "smooth_nr=1e-05" in losses.dice_loss.__text_signature__
    assert "smooth_nr" in str(inspect.signature(losses.DiceL2Loss))
