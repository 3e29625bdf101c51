"""osteon.data: the synthetic hip cohort through the binding (the C++ tests check its model)."""
import pytest
import torch

import osteon


def test_cohort_shapes_types_and_groups():
    cohort = osteon.data.synthetic_hip_cohort(patients=5, image_size=32, seed=3)
    assert cohort.images.shape == (10, 2, 1, 32, 32) and cohort.images.dtype == torch.float32
    assert cohort.outcome.dtype == torch.int64 and set(cohort.outcome.tolist()) <= {0, 1}
    assert cohort.hip_ids[:2] == ["P001-L", "P001-R"] and cohort.patient_ids[:2] == ["P001", "P001"]
    assert cohort.risk.dtype == torch.float64 and bool(((cohort.risk > 0) & (cohort.risk < 1)).all())


def test_cohort_is_deterministic_from_the_seed():
    a = osteon.data.synthetic_hip_cohort(patients=4, image_size=32, seed=9)
    b = osteon.data.synthetic_hip_cohort(patients=4, image_size=32, seed=9)
    c = osteon.data.synthetic_hip_cohort(patients=4, image_size=32, seed=10)
    assert torch.equal(a.images, b.images) and torch.equal(a.outcome, b.outcome)
    assert not torch.equal(a.images, c.images)


def test_split_by_patient_keeps_both_hips_together():
    cohort = osteon.data.synthetic_hip_cohort(patients=40, image_size=32)
    train, test = osteon.split.stratified_holdout(cohort.outcome.numpy(), groups=cohort.patient_ids,
                                                  test_size=0.25, mixed_labels="majority")
    test_patients = {cohort.patient_ids[i] for i in test}
    assert not test_patients & {cohort.patient_ids[i] for i in train}
    assert len(test) == 20


def test_bad_options_raise_value_error_naming_them():
    with pytest.raises(ValueError, match="patients must be >= 2, got 1"):
        osteon.data.synthetic_hip_cohort(patients=1)
    with pytest.raises(ValueError, match="image_size must be in \\[32, 1024\\], got 8"):
        osteon.data.synthetic_hip_cohort(image_size=8)
