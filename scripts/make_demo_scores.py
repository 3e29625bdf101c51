#!/usr/bin/env python3
"""Writes examples/data/hip_outcome_scores.csv: a synthetic hip-preservation cohort (432 hips,
about a quarter with a poor outcome) with the predicted probabilities of two models, one from the
AP radiograph and one from the frog-leg view, correlated through the hip's latent severity.
Synthetic data only; regenerate with /usr/bin/python3 scripts/make_demo_scores.py."""
import pathlib

import numpy as np

rng = np.random.default_rng(20240521)
n_hips = 432
severity = rng.normal(size=n_hips)
outcome = (severity + rng.normal(scale=0.9, size=n_hips) > 0.75).astype(int)
ap_logit = 1.1 * severity + rng.normal(scale=1.0, size=n_hips) - 1.0
frog_logit = 0.8 * severity + rng.normal(scale=1.1, size=n_hips) - 1.0
sigmoid = lambda x: 1.0 / (1.0 + np.exp(-x))  # noqa: E731

out = pathlib.Path(__file__).resolve().parents[1] / "examples" / "data" / "hip_outcome_scores.csv"
with open(out, "w") as f:
    f.write("hip_id,outcome,ap_score,frog_score\n")
    for i in range(n_hips):
        f.write(f"H{i:03d},{outcome[i]},{sigmoid(ap_logit[i]):.6f},{sigmoid(frog_logit[i]):.6f}\n")
print(f"wrote {out}")
