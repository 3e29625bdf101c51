"""Training: the C++ Trainer (osteon::train) with PyTorch / MONAI option names (see docs/train.md).

An osteon network (``osteon.nn``) with an osteon loss (``osteon.losses``) or a named loss
(``"cross_entropy"``, ``"bce_with_logits"``, ``"mse"``) trains entirely in C++ with the GIL
released; the GIL is taken back only to call Python callbacks. Any other ``torch.nn.Module`` or
Python loss works too, each call into Python taking the GIL. Progress in Python is a tqdm bar
(``osteon.progress``: a widget in notebooks), drawn by a callback; ``progress=False`` or
``osteon.progress.set_enabled(False)`` silences it.

Example:
    >>> import osteon, torch
    >>> model = osteon.nn.ResNet18(num_classes=2, in_channels=1)
    >>> trainer = osteon.train.Trainer(model, "cross_entropy", max_epochs=2, lr=2e-3,
    ...                                betas=(0.5, 0.999), batch_size=8, progress=False)
    >>> result = trainer.fit(torch.randn(16, 1, 32, 32), torch.randint(0, 2, (16,)))
"""
import os
import time

from ._C import train as _ctrain
from ._results import Result, record
from .progress import draws_bars, log_line, progress_bar
from .split import read_manifest

__all__ = ["Trainer", "TqdmProgress", "FitResult", "FoldMetric", "CrossValidationResult", "predict", "evaluate",
           "cross_validate", "metric_names", "DEFAULTS"]

#: The Trainer's defaults, read from the C++ ``TrainerOptions``.
DEFAULTS = dict(_ctrain._default_options())



def metric_names():
    """The built-in validation metric names (besides "loss").

    Returns:
        list of names: "accuracy", "auc", "dice".

    Example:
        >>> osteon.train.metric_names()
        ['accuracy', 'auc', 'dice']
    """
    return list(_ctrain.metric_names())


@record
class FitResult(Result):
    """What Trainer.fit returns: one dict per epoch in ``history`` (epoch, step, lr, train_loss,
    seconds, skipped_steps, validated, val), the best validation epoch and value, early stop."""

    history: list
    best_epoch: int
    best_value: float
    stopped_early: bool


@record
class FoldMetric(Result):
    """One metric of cross_validate: per fold (own fold, holdout), mean ± SD with ``ddof``, pooled
    out-of-fold value and the ensemble's value on the holdout."""

    name: str
    fold: list
    holdout: list
    fold_mean: float
    fold_sd: float
    holdout_mean: float
    holdout_sd: float
    ddof: int
    pooled: float
    ensemble_holdout: float


@record(eq=False)
class CrossValidationResult(Result):
    """What cross_validate returns (``table``: the Markdown table of every metric)."""

    metrics: list
    table: str
    out_of_fold: object
    out_of_fold_rows: list
    ensemble_probabilities: object
    holdout_rows: list
    models: list


def _options(keywords, owner):
    unknown = sorted(set(keywords) - set(DEFAULTS))
    if unknown:
        raise TypeError(f"{owner}: unknown option(s) {', '.join(unknown)}; valid: {', '.join(sorted(DEFAULTS))}")
    options = dict(DEFAULTS)
    options.update(keywords)
    options["betas"] = tuple(float(b) for b in options["betas"])
    return options


class TqdmProgress:
    """Training progress, as a Trainer callback: a tqdm bar per epoch (step, loss, last validation
    metric) in a notebook or a terminal, drawn with ``osteon.progress.progress_bar``; where no bar
    can be drawn (stderr is a log file or a pipe, see ``osteon.progress.draws_bars``), one plain
    line per epoch on stderr instead (``epoch 3/10: train_loss 0.4128, val_auc 0.8125, 1.2 s``).
    ``osteon.progress.set_enabled(False)`` silences both.

    Args:
        val_metric: the validation metric shown beside the loss.
        enabled: None follows osteon's progress flag; True / False override it.
        max_epochs: the epoch count shown as ``epoch 3/10`` (None: ``epoch 3``).

    Example:
        >>> trainer = osteon.train.Trainer(model, "cross_entropy", progress=False,
        ...                                callbacks=[osteon.train.TqdmProgress("auc")])
    """

    def __init__(self, val_metric="loss", enabled=None, max_epochs=None):
        self._bar = None
        self._val_metric = val_metric
        self._enabled = enabled
        self._max_epochs = max_epochs
        self._last_val = None
        self._bars = None  # decided at the first event (the stream may be replaced after construction)

    def _draws_bars(self):
        if self._bars is None:
            self._bars = draws_bars()
        return self._bars

    def on_batch_end(self, event):
        if not self._draws_bars():
            return
        if self._bar is None:
            self._bar = progress_bar(total=event["batches"], desc=f"epoch {event['epoch']}", enabled=self._enabled,
                                     unit="batch")
        self._bar.update(1)
        postfix = {"loss": f"{event['loss']:.4f}"}
        if self._last_val is not None:
            postfix[f"val_{self._val_metric}"] = f"{self._last_val:.4f}"
        self._bar.set_postfix(postfix, refresh=False)

    def on_epoch_end(self, record):
        if self._val_metric in record["val"]:
            self._last_val = record["val"][self._val_metric]
        if self._bar is not None:
            self._bar.close()
            self._bar = None
        if not self._draws_bars():
            epoch = f"epoch {record['epoch']}" + (f"/{self._max_epochs}" if self._max_epochs else "")
            parts = [f"train_loss {record['train_loss']:.4f}"]
            parts += [f"val_{name} {value:.4f}" for name, value in record["val"].items()]
            parts.append(f"{record['seconds']:.1f} s")
            log_line(f"{epoch}: " + ", ".join(parts), enabled=self._enabled)


class Trainer:
    """Trains one model (``osteon::train::Trainer``).

    Args:
        model: a ``torch.nn.Module`` (an osteon network trains without the GIL).
        loss: ``"cross_entropy"`` | ``"bce_with_logits"`` | ``"mse"``, an ``osteon.losses`` module, or a
            callable ``loss(outputs, targets) -> Tensor``.
        callbacks: objects with any of ``on_epoch_begin(epoch)``, ``on_batch_end(event)``,
            ``on_validation_end(record)``, ``on_epoch_end(record)``, or callables (called at epoch end
            with the record dict).
        val_metrics: further validation metrics to log (``metric_names()``).
        progress: None follows ``osteon.progress`` (one flag for every bar), ``True`` / ``False`` force the
            progress (TqdmProgress: a bar, or a plain line per epoch on stderr in logs) on or off.
        **options: ``max_epochs``, ``optimizer`` ("adam" | "adamw" | "sgd"), ``lr``, ``betas``, ``eps``,
            ``weight_decay``, ``momentum``, ``nesterov``, ``scheduler`` ("constant" | "step" | "cosine" |
            "plateau"), ``warmup_epochs``, ``step_size``, ``gamma``, ``plateau_patience``, ``min_lr``,
            ``batch_size``, ``shuffle``, ``even_batches``, ``accumulate``, ``grad_clip``, ``amp``, ``seed``,
            ``val_interval``, ``val_metric``, ``early_stopping``, ``min_delta``, ``restore_best``,
            ``non_finite`` ("error" | "skip"), ``output_dir``, ``checkpoint_interval``, ``keep_last``;
            defaults in ``DEFAULTS``.

    Raises:
        ValueError: an option out of range, an unknown metric or optimiser name (naming it).
    """

    def __init__(self, model, loss, *, callbacks=(), val_metrics=(), progress=None, **options):
        self.options = _options(options, "Trainer")
        self.model = model
        self._trainer = _ctrain._Trainer(model, loss, self.options)
        if val_metrics:
            self._trainer.set_val_metrics(list(val_metrics))
        if progress is not False:
            self._trainer.add_callback(TqdmProgress(self.options["val_metric"], enabled=progress,
                                                    max_epochs=self.options["max_epochs"]))
        for callback in callbacks:
            self.add_callback(callback)

    def add_callback(self, callback):
        """Adds a callback (see the class docstring); called with the GIL held."""
        self._trainer.add_callback(callback)

    def add_metric(self, name, fn):
        """Adds a validation metric ``fn(outputs, targets) -> float or 0-dim Tensor`` (higher is better)."""
        self._trainer.add_metric(name, fn)

    def fit(self, inputs, targets, val_inputs=None, val_targets=None, groups=None):
        """Trains to ``max_epochs`` (or early stopping) from the current epoch.

        Args:
            inputs, targets: training tensors, one row per sample.
            val_inputs, val_targets: validation tensors (optional).
            groups: integer group id per training sample (kept on one rank; optional).

        Returns:
            FitResult: ``history`` (one dict per epoch), ``best_epoch``, ``best_value``, ``stopped_early``.
        """
        out = self._trainer.fit(inputs, targets, val_inputs, val_targets, list(groups) if groups is not None else [])
        return FitResult(**out)

    def validate(self, inputs, targets):
        """The validation loss and metrics of ``inputs`` / ``targets`` as a dict."""
        return self._trainer.validate(inputs, targets)

    def save_checkpoint(self, path):
        """Writes a checkpoint (torch.save format; ``torch.load`` reads it) atomically."""
        self._trainer.save_checkpoint(str(path))

    def load_checkpoint(self, path):
        """Loads a checkpoint; ValueError naming the file and key for another config / model or a truncated file."""
        self._trainer.load_checkpoint(str(path))

    def resume(self, path):
        """Loads ``path`` (a checkpoint, or the newest in a folder); False for a folder without one."""
        return self._trainer.resume(str(path))

    def request_stop(self):
        """Ends fit() after the current epoch (from a callback)."""
        self._trainer.request_stop()

    @property
    def epoch(self):
        return self._trainer.epoch

    @property
    def step(self):
        return self._trainer.step

    @property
    def history(self):
        return self._trainer.history


def predict(model, inputs, batch_size=32, flip_dims=(), activation="softmax"):
    """Probabilities of ``inputs`` in batches (eval mode, no autograd) on the model's device.

    Args:
        flip_dims: test-time flips (non-batch dimensions); the outputs of each are averaged
            (dense outputs flipped back first).
        activation: "softmax" (over dim 1) | "sigmoid" | "none".
    """
    return _ctrain.predict(model, inputs, batch_size, list(flip_dims), activation)


def evaluate(model, inputs, targets, metrics=("auc",), batch_size=32, flip_dims=(), activation="softmax"):
    """The metrics (``metric_names()``) of the model's probabilities on ``inputs`` as a dict."""
    return _ctrain.evaluate(model, inputs, targets, list(metrics), batch_size, list(flip_dims), activation)


class _FoldProgress:
    """cross_validate's progress: a bar over the folds, or a plain line per finished fold."""

    def __init__(self, n_folds, enabled):
        self._n, self._enabled, self._current, self._started = n_folds, enabled, None, None
        self._bar = progress_bar(total=n_folds, desc="cross-validation", enabled=enabled, unit="fold") \
            if draws_bars() else None

    def _finish(self):
        if self._current is None:
            return
        if self._bar is not None:
            self._bar.update(1)
        else:
            log_line(f"cross_validate: fold {self._current + 1}/{self._n} done "
                     f"({time.monotonic() - self._started:.1f} s)", enabled=self._enabled)
        self._current = None

    def start(self, fold):
        self._finish()
        self._current, self._started = int(fold), time.monotonic()

    def close(self, completed):
        if completed:
            self._finish()
        if self._bar is not None:
            self._bar.close()


def cross_validate(manifest, inputs, targets, model_factory, loss, metrics=("auc",), ddof=1,
                   validate_on_fold=False, progress=None, **options):
    """Trains one model per fold of ``manifest`` (osteon.split, k-fold or nested) and scores it.

    Args:
        manifest: a manifest path (``osteon.split.write_manifest``) or ``osteon.split.Manifest``,
            whose rows are the rows of ``inputs``.
        model_factory: ``model_factory(fold) -> torch.nn.Module`` (fresh weights).
        metrics: names from ``metric_names()``.
        ddof: delta degrees of freedom of the SD across folds (1 = sample SD, R's ``sd``).
        validate_on_fold: validate each epoch on the fold's test part (for early stopping).
        progress: None follows ``osteon.progress``; True / False force it on or off. A bar over the
            folds in a notebook or terminal, else one line per finished fold on stderr.
        **options: Trainer options.

    Returns:
        CrossValidationResult: ``metrics`` (a FoldMetric per metric: ``fold``, ``holdout``, ``fold_mean``,
        ``fold_sd``, ``holdout_mean``, ``holdout_sd``, ``pooled``, ``ensemble_holdout``), ``table``
        (Markdown), ``out_of_fold`` probabilities with ``out_of_fold_rows``, ``ensemble_probabilities``
        with ``holdout_rows``, and the fold ``models``.

    Raises:
        TypeError: an unknown Trainer option (naming it and listing the valid ones).

    Example:
        >>> result = osteon.train.cross_validate("split.csv", x, y, lambda fold: torch.nn.Linear(4, 2),
        ...                                      "cross_entropy", metrics=["auc"], max_epochs=3)
        >>> print(result.table)
    """
    if isinstance(manifest, (str, os.PathLike)):
        manifest = read_manifest(manifest)
    trainer_options = _options(options, "cross_validate")
    tracker = _FoldProgress(len(manifest.splits()[2]), progress)

    def factory(fold):
        tracker.start(fold)
        return model_factory(fold)

    completed = False
    try:
        out = _ctrain.cross_validate(manifest, inputs, targets, factory, loss, list(metrics), int(ddof),
                                     bool(validate_on_fold), trainer_options)
        completed = True
    finally:
        tracker.close(completed)
    out["metrics"] = [FoldMetric(**m) for m in out["metrics"]]
    return CrossValidationResult(**out)
