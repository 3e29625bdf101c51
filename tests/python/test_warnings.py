"""osteon's warnings are Python UserWarnings (core/warnings.hpp routed to warnings.warn), so that
warnings filters, catch_warnings and pytest.warns see them — MONAI's single-channel notes first."""
import warnings

import pytest
import torch

import osteon
from osteon import losses


def test_the_channel_raises_a_user_warning():
    with pytest.warns(UserWarning, match="from the C\\+\\+ channel"):
        osteon._C._warn("from the C++ channel")


def test_an_error_filter_turns_the_warning_into_an_exception():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with pytest.raises(UserWarning, match="as an error"):
            osteon._C._warn("as an error")


def test_an_ignore_filter_silences_it():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("ignore")
        osteon._C._warn("ignored")
    assert caught == []


def _single_channel():
    torch.manual_seed(0)
    return torch.randn(2, 1, 8, 8), (torch.rand(2, 1, 8, 8) > 0.5).float()


@pytest.mark.parametrize("loss_class", [losses.DiceLoss, losses.TverskyLoss, losses.GeneralizedDiceLoss])
def test_single_channel_include_background_false_warns_as_monai(loss_class):
    logits, target = _single_channel()
    with pytest.warns(UserWarning, match="single-channel prediction, include_background=false ignored"):
        value = loss_class(include_background=False, sigmoid=True)(logits, target)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        same = loss_class(include_background=True, sigmoid=True)(logits, target)
    assert torch.equal(value, same)  # ignored, as MONAI ignores it


def test_single_channel_softmax_warns_as_monai():
    logits, target = _single_channel()
    with pytest.warns(UserWarning, match="single-channel prediction, softmax=true ignored"):
        losses.DiceLoss(softmax=True)(logits, target)


def test_single_channel_to_onehot_y_warns_as_monai():
    logits, target = _single_channel()
    with pytest.warns(UserWarning, match="single-channel prediction, to_onehot_y=true ignored"):
        losses.DiceLoss(to_onehot_y=True, sigmoid=True)(logits, target)


def test_every_call_warns_and_python_decides_how_often_it_shows():
    logits, target = _single_channel()
    loss = losses.DiceLoss(softmax=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss(logits, target)
        loss(logits, target)
    assert sum("softmax=true ignored" in str(w.message) for w in caught) == 2
    assert all(w.category is UserWarning for w in caught)
