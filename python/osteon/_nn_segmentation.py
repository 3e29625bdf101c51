"""V-Net and UNet for osteon.nn: MONAI's networks, written in C++, with MONAI's keywords.

Both are ``torch.nn.Module``s (bound with ``torch::python::bind_module``): ``parameters()``,
``state_dict()`` / ``load_state_dict()`` with MONAI's key names, ``to()`` (device, dtype,
``memory_format=torch.channels_last`` / ``torch.channels_last_3d``), ``train()`` / ``eval()``,
``torch.optim`` and ``DistributedDataParallel``. ``load_monai_weights`` imports a MONAI-trained
state dict file; ``osteon.nn.save_state_dict`` / ``load_state_dict`` write and read our own
checkpoints, with the names and file format of C++ ``osteon::io::save_state_dict`` / ``load_state_dict``.
"""
import os

from ._C import nn as _cnn
from ._cpp_module import CppNetwork as _CppNetwork

__all__ = ["VNet", "UNet", "load_monai_weights"]


class VNet(_CppNetwork, _cnn._VNet):
    """V-Net (Milletari et al. 2016) exactly as MONAI's ``monai.networks.nets.VNet`` builds it.

    5×5(×5) convolutions in residual stages, 2×2(×2) stride-2 convolutions down and transposed
    convolutions up, batch norm, ELU (or PReLU). The defaults are MONAI's: 3-D, 1 → 2 channels
    has 45,597,898 parameters. Every spatial size of the input must be divisible by 16.

    Args:
        spatial_dims: 2 or 3.
        in_channels: input channels; must divide ``base_channels``.
        out_channels: output channels (logits).
        act: MONAI's activation spec: a name (``"elu"``, ``"prelu"``, ``"relu"``,
            ``"leakyrelu"``, ...) or ``(name, {arguments})``. ``"prelu"`` gives one slope per
            channel, as in MONAI.
        dropout_prob_down: dropout in the two deepest down stages, or None.
        dropout_prob_up: (input, skip-connection) dropout of the two deepest up stages; either
            may be None.
        dropout_dim: 1 element-wise, 2 or 3 whole channels (Dropout2d / Dropout3d as MONAI; for
            2-D data use 2, since torch's Dropout3d reads (N, C, H, W) as one unbatched volume).
        bias: bias in the convolutions a batch norm follows (MONAI's ``bias``).
        dropout_prob_skip: skip-connection dropout of the two shallow up stages, or None
            (MONAI fixes it at 0.5); with the three dropout arguments None the network has no
            dropout at all.
        base_channels: width after the input stage (MONAI: 16); stages are 1, 2, 4, 8, 16 times it.

    Example:
        >>> net = osteon.nn.VNet(spatial_dims=3, in_channels=1, out_channels=2)
        >>> net(torch.randn(2, 1, 32, 32, 32)).shape
        torch.Size([1, 2, 32, 32, 32])
    """

    def __init__(self, spatial_dims=3, in_channels=1, out_channels=1, act=("elu", {"inplace": True}),
                 dropout_prob_down=0.5, dropout_prob_up=(0.5, 0.5), dropout_dim=3, bias=False,
                 dropout_prob_skip=0.5, base_channels=16):
        super().__init__(spatial_dims=spatial_dims, in_channels=in_channels, out_channels=out_channels,
                         act=act, dropout_prob_down=dropout_prob_down, dropout_prob_up=dropout_prob_up,
                         dropout_dim=dropout_dim, bias=bias, dropout_prob_skip=dropout_prob_skip,
                         base_channels=base_channels)


class UNet(_CppNetwork, _cnn._UNet):
    """UNet with residual units exactly as MONAI's ``monai.networks.nets.UNet`` builds it.

    Same arguments, defaults and state-dict keys as MONAI, so MONAI-trained weights load with
    ``load_monai_weights``. ``channels=(16, 32, 64, 128, 256), strides=(2, 2, 2, 2),
    num_res_units=2`` in 2-D, 1 → 2 channels, has MONAI's 1,625,161 parameters. Every spatial
    size of the input must be divisible by the product of the strides.

    Args:
        spatial_dims: 1, 2 or 3.
        in_channels: input channels.
        out_channels: output channels (logits).
        channels: channels per level, top first (at least two).
        strides: downsampling stride per level, ``len(channels) - 1`` values.
        kernel_size: odd kernel of the encoder convolutions, an int or one per dimension.
        up_kernel_size: odd kernel of the transposed convolutions.
        num_res_units: convolutions per residual unit; 0 for plain convolution blocks.
        act: activation, a name or ``(name, {arguments})`` (MONAI default ``"PRELU"``).
        norm: ``"instance"``, ``"batch"`` or ``("group", {"num_groups": g})``, with optional
            ``eps``, ``momentum``, ``affine``, ``track_running_stats``.
        dropout: dropout probability in every block.
        bias: convolution bias.
        adn_ordering: order of norm (N), dropout (D) and activation (A), MONAI's ``"NDA"``.

    Example:
        >>> net = osteon.nn.UNet(2, 1, 2, channels=(16, 32, 64, 128, 256), strides=(2, 2, 2, 2),
        ...                      num_res_units=2)
        >>> net(torch.randn(4, 1, 64, 64)).shape
        torch.Size([4, 2, 64, 64])
    """

    def __init__(self, spatial_dims, in_channels, out_channels, channels, strides, kernel_size=3,
                 up_kernel_size=3, num_res_units=0, act="PRELU", norm="INSTANCE", dropout=0.0,
                 bias=True, adn_ordering="NDA"):
        super().__init__(spatial_dims=spatial_dims, in_channels=in_channels, out_channels=out_channels,
                         channels=list(channels), strides=list(strides), kernel_size=kernel_size,
                         up_kernel_size=up_kernel_size, num_res_units=num_res_units, act=act, norm=norm,
                         dropout=dropout, bias=bias, adn_ordering=adn_ordering)


for _cls in (VNet, UNet):
    _cls.__module__ = "osteon.nn"


def load_monai_weights(model, path):
    """Loads a MONAI VNet / UNet state dict file into an osteon VNet / UNet of the same
    configuration. Keys are MONAI's own; a ``module.`` prefix (DataParallel / DDP) and a
    one-entry checkpoint wrapper such as ``{"net": state_dict}`` are removed first.

    Args:
        model: an ``osteon.nn.VNet`` or ``osteon.nn.UNet``.
        path: a file written by ``torch.save(monai_net.state_dict(), path)``.

    Raises:
        ValueError: the file is missing or not a torch.save zip archive, or its keys or shapes
            do not fit the model (all are listed; usually a configuration mismatch).

    Example:
        >>> torch.save(monai.networks.nets.UNet(2, 1, 2, (16, 32, 64), (2, 2)).state_dict(), "u.pt")
        >>> net = osteon.nn.UNet(2, 1, 2, (16, 32, 64), (2, 2))
        >>> osteon.nn.load_monai_weights(net, "u.pt")
    """
    cpp_module = getattr(model, "cpp_module", None)
    if not isinstance(model, (VNet, UNet)):
        raise ValueError(f"load_monai_weights: model must be an osteon.nn.VNet or UNet, got {type(model)!r}")
    _cnn._load_monai_weights(cpp_module, os.fspath(path))
