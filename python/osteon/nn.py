"""Networks: ResNet family and multi-view fusion, V-Net, UNet; each is a torch.nn.Module."""
from ._C.nn import *  # noqa: F401,F403
from ._nn_classification import *  # noqa: F401,F403
from ._nn_segmentation import *  # noqa: F401,F403
