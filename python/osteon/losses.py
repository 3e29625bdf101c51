"""Losses of the seed studies, on LibTorch (see docs/losses.md).

Every loss is a ``torch.nn.Module`` with MONAI's keywords (``sigmoid``, ``softmax``,
``to_onehot_y``, ``include_background``, ``squared_pred``, ``jaccard``, ``smooth_nr``,
``smooth_dr``, ``batch``, ``gamma``, ``alpha``, ``weight``, ``reduction``), and has a functional
form taking the same keywords; DiceLoss, GeneralizedDiceLoss and TverskyLoss also take
MONAI's ``soft_label``. Inputs are logits ``(B, C, spatial...)`` (``(N, C)`` for a
classifier); targets are dense of the input's shape or class indices ``(B, 1, ...)`` /
``(B, ...)``. Tensors stay on their device; half / bfloat16 inputs are computed in float32.
Option errors raise ValueError, tensor errors RuntimeError.
"""
import inspect as _inspect

from . import _cpp_module
from ._C import losses as _c
from ._C.losses import (  # noqa: F401
    CEFocalLoss,
    DiceCELoss,
    DiceFocalLoss,
    DiceL2Loss,
    DiceLoss,
    FocalLoss,
    GeneralizedDiceLoss,
    TverskyLoss,
    ce_focal_loss,
    check_label_map,
    cross_entropy,
    dice_ce_loss,
    dice_focal_loss,
    dice_l2_loss,
    dice_loss,
    focal_loss,
    generalized_dice_loss,
    l2_penalty,
    regularised_parameters,
    tversky_loss,
)

__all__ = [
    "FocalLoss", "DiceLoss", "DiceCELoss", "DiceFocalLoss", "DiceL2Loss", "CEFocalLoss",
    "GeneralizedDiceLoss", "TverskyLoss", "focal_loss", "dice_loss", "dice_ce_loss",
    "dice_focal_loss", "dice_l2_loss", "ce_focal_loss", "generalized_dice_loss", "tversky_loss",
    "cross_entropy", "l2_penalty", "regularised_parameters", "check_label_map",
]

_REGION_ARGS = """
        include_background (bool): False leaves channel 0 out (ignored with one channel). Default True.
        to_onehot_y (bool): require a label map (B, 1, ...) and one-hot it. Default False
            (label maps are recognised by their shape anyway).
        sigmoid (bool): apply a sigmoid to the input first. Default False.
        softmax (bool): apply a softmax over the channels first. Default False.
        other_act (callable | None): apply this function to the input first. At most one of
            sigmoid, softmax, other_act.
        reduction (str): 'mean' (default), 'sum' or 'none' ((B, C', 1, ...), or (1, C', 1, ...)
            with batch=True).
        smooth_nr (float): added to the numerator. Default 1e-5.
        smooth_dr (float): added to the denominator. Default 1e-5.
        batch (bool): sum over the batch before dividing. Default False."""

_DICE_ARGS = _REGION_ARGS + """
        squared_pred (bool): Σp² + Σg² in the denominator (Milletari et al. 2016). Default False.
        jaccard (bool): soft Jaccard (IoU) instead of Dice. Default False.
        weight (float | sequence | Tensor | None): non-negative weight per channel of the loss
            (C, or C - 1 without background), unused with one channel."""

_SOFT_LABEL_ARG = """
        soft_label (bool): soft labels (MONAI's keyword): the intersection is taken as
            (‖p‖₁ + ‖g‖₁ - ‖p - g‖₁) / 2 (Wang et al. 2023, Dice semimetric losses), which equals
            Σ p g for hard labels and p in [0, 1] and is minimal at p = g for soft ones. Default False."""

_DOCS = {
    DiceLoss: f"""Soft Dice loss (Milletari et al. 2016), MONAI's DiceLoss.

    1 - (2 Σ p g + smooth_nr) / (Σ p^k + Σ g^k + smooth_dr) per sample and channel.

    Args:{_DICE_ARGS}{_SOFT_LABEL_ARG}

    Returns:
        forward(input, target) -> Tensor: the loss, reduced as asked.

    Example:
        >>> loss = osteon.losses.DiceLoss(softmax=True, to_onehot_y=True)
        >>> value = loss(logits, labels)   # logits (B, C, D, H, W), labels (B, 1, D, H, W)
    """,
    GeneralizedDiceLoss: f"""Generalised Dice loss (Sudre et al. 2017), MONAI's GeneralizedDiceLoss.

    Args:{_REGION_ARGS}
        w_type (str): class weight from the target volume: 'square' (1/V², default), 'simple'
            (1/V) or 'uniform'. Absent classes get their sample's largest finite weight.{_SOFT_LABEL_ARG}

    Returns:
        forward(input, target) -> Tensor.

    Example:
        >>> loss = osteon.losses.GeneralizedDiceLoss(softmax=True, to_onehot_y=True)
    """,
    TverskyLoss: f"""Tversky loss (Salehi et al. 2017), MONAI's TverskyLoss.

    1 - (TP + smooth_nr) / (TP + α FP + β FN + smooth_dr), soft counts.

    Args:{_REGION_ARGS}
        alpha (float): weight of the false positives. Default 0.5.
        beta (float): weight of the false negatives. Default 0.5.{_SOFT_LABEL_ARG}

    Returns:
        forward(input, target) -> Tensor.

    Example:
        >>> loss = osteon.losses.TverskyLoss(sigmoid=True, alpha=0.3, beta=0.7)
    """,
    FocalLoss: """Focal loss from logits (Lin et al. 2017), MONAI's FocalLoss keywords.

    FL = -α_t (1 - p_t)^γ log p_t, computed from log-sigmoid / log-softmax.

    Args:
        include_background (bool): False leaves channel 0 out. Default True.
        to_onehot_y (bool): require a label map and one-hot it. Default False.
        gamma (float): focusing exponent >= 0. Default 2.
        alpha (float | sequence | Tensor | None): a float is the positive-class weight (sigmoid:
            α for target 1, 1 - α for 0; softmax: 1 - α for class 0, α for the others); a
            sequence gives one α per channel of the loss. Default None.
        weight (float | sequence | Tensor | None): weight per channel of the loss.
        reduction (str): 'mean' (default), 'sum', 'none' (sigmoid: input's shape; softmax:
            (B, spatial...), the class terms summed per position).
        use_softmax (bool): softmax over the channels instead of a sigmoid per channel.
        ignore_index (int): class index (or, with the sigmoid, 0/1 target entry) left out. -100.

    Returns:
        forward(input, target) -> Tensor.

    Example:
        >>> loss = osteon.losses.FocalLoss(use_softmax=True, gamma=2.0, alpha=0.25)
        >>> value = loss(logits, labels)   # logits (N, 2), labels (N,)
    """,
    DiceCELoss: f"""Dice + cross-entropy, MONAI's DiceCELoss: lambda_dice · Dice + lambda_ce · CE.

    Args:{_DICE_ARGS.replace("(C, or C - 1 without background)", "(all C classes; the Dice part drops channel 0 without background)")}
        label_smoothing (float): ε of the cross-entropy. Default 0.
        lambda_dice (float): weight of the Dice part. Default 1.
        lambda_ce (float): weight of the cross-entropy part. Default 1.
        reduction must be 'mean' or 'sum'.

    Returns:
        forward(input, target) -> Tensor (0-d).

    Example:
        >>> loss = osteon.losses.DiceCELoss(softmax=True, to_onehot_y=True)
    """,
    DiceFocalLoss: f"""Dice + focal, MONAI's DiceFocalLoss; softmax=True also makes the focal part
    the softmax focal loss (MONAI's is always the sigmoid one).

    Args:{_DICE_ARGS}
        gamma (float): focal γ. Default 2.
        alpha (float | sequence | None): focal α (see FocalLoss).
        lambda_dice (float): Default 1.
        lambda_focal (float): Default 1.

    Returns:
        forward(input, target) -> Tensor.

    Example:
        >>> loss = osteon.losses.DiceFocalLoss(sigmoid=True, gamma=2.0)
    """,
    CEFocalLoss: """Cross-entropy + focal (the hip study's loss): lambda_ce · CE + lambda_focal · FL.

    Softmax over C > 1 logits, sigmoid for a single logit.

    Args:
        weight (float | sequence | Tensor | None): class weights (CE weights, focal factors).
        ignore_index (int): class index left out. Default -100.
        label_smoothing (float): ε of the cross-entropy. Default 0.
        gamma (float): focal γ. Default 2.
        alpha (float | sequence | None): focal α (see FocalLoss).
        lambda_ce (float), lambda_focal (float): Default 1 each.
        reduction (str): 'mean' (default), 'sum' or 'none'.

    Returns:
        forward(input, target) -> Tensor.

    Example:
        >>> loss = osteon.losses.CEFocalLoss(gamma=2.0, alpha=0.75)
        >>> value = loss(model(images), labels)   # (N, 2) logits, (N,) labels
    """,
    DiceL2Loss: f"""Dice + L2 regulariser (the femur V-Net study): lambda_dice · Dice + lambda_l2 · Σ‖w‖².

    Args:
        model_or_parameters: a torch.nn.Module (an osteon model or any Python module), whose
            parameters are selected by regularised_parameters, or an iterable of tensors.{_DICE_ARGS}
        lambda_dice (float): Default 1.
        lambda_l2 (float): Default 1e-4.
        exclude_norm_and_bias (bool): with a model, leave biases and normalisation layers out.
            Default True.

    Returns:
        forward(input, target) -> Tensor.

    Example:
        >>> loss = osteon.losses.DiceL2Loss(vnet, sigmoid=True, lambda_l2=1e-4)
    """,
}
for _cls, _doc in _DOCS.items():
    _cls.__doc__ = _doc


def _class_signature(cls) -> _inspect.Signature:
    """The constructor's signature as the binding declares it: the keyword-only parameters that
    bind_losses sets as ``__signature__`` (defaults from the C++ Options), else the py::args of
    the constructor's pybind11 docstring."""
    declared = cls.__dict__.get("__signature__")
    variadic = (_inspect.Parameter.VAR_POSITIONAL, _inspect.Parameter.VAR_KEYWORD)
    if isinstance(declared, _inspect.Signature) and all(p.kind not in variadic for p in declared.parameters.values()):
        return declared
    return _cpp_module.pybind_signature(cls.__init__, first_overload=True)


for _cls in (FocalLoss, DiceLoss, DiceCELoss, DiceFocalLoss, DiceL2Loss, CEFocalLoss, GeneralizedDiceLoss,
             TverskyLoss):
    _cls.__signature__ = _class_signature(_cls)

# The functional forms: Python functions with the binding's signature (inspect.signature and
# help() fail on a bare pybind11 function).
_FUNCTIONS = ("ce_focal_loss", "check_label_map", "cross_entropy", "dice_ce_loss", "dice_focal_loss", "dice_l2_loss",
              "dice_loss", "focal_loss", "generalized_dice_loss", "l2_penalty", "regularised_parameters",
              "tversky_loss")
for _name in _FUNCTIONS:
    globals()[_name] = _cpp_module.python_function(getattr(_c, _name), _name, __name__)

del _cls, _doc, _name
