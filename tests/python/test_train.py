"""osteon.train against PyTorch itself: the Trainer's weights against the same loop written with
torch.optim in Python, its learning rates against torch.optim.lr_scheduler, checkpoints read by
torch.load, resume, callbacks, the GIL released while training, and the errors."""
import threading
import time

import pytest
import torch
import torchvision

import osteon


def tiny_resnet():
    torch.manual_seed(0)
    return osteon.nn.ResNet18(num_classes=2, in_channels=1)


def data(n=32, size=32, seed=1):
    g = torch.Generator().manual_seed(seed)
    y = torch.randint(0, 2, (n,), generator=g)
    x = torch.randn(n, 1, size, size, generator=g) + y.view(n, 1, 1, 1) * 0.5
    return x, y


def torchvision_twin(model):
    net = torchvision.models.resnet18(num_classes=2)
    net.conv1 = torch.nn.Conv2d(1, 64, 7, 2, 3, bias=False)
    net.load_state_dict(model.state_dict())
    return net


def test_trainer_equals_a_torch_optim_loop_in_python():
    """Adam (β₁ 0.5, weight decay), cosine schedule, grad clipping: osteon's Trainer on osteon's
    ResNet-18 against torchvision's ResNet-18 trained by torch.optim.Adam in Python, same batches."""
    torch.set_num_threads(1)
    x, y = data()
    model = tiny_resnet()
    reference = torchvision_twin(model)
    trainer = osteon.train.Trainer(model, "cross_entropy", max_epochs=3, lr=2e-3, betas=(0.5, 0.999),
                                   weight_decay=1e-4, scheduler="cosine", grad_clip=1.0, batch_size=8,
                                   shuffle=False, progress=False)
    result = trainer.fit(x, y)
    optimizer = torch.optim.Adam(reference.parameters(), lr=2e-3, betas=(0.5, 0.999), weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=3)
    reference.train()
    for epoch in range(3):
        assert result.history[epoch]["lr"] == pytest.approx(optimizer.param_groups[0]["lr"], rel=1e-12)
        for b in range(0, 32, 8):
            optimizer.zero_grad()
            loss = torch.nn.functional.cross_entropy(reference(x[b:b + 8]), y[b:b + 8])
            loss.backward()
            torch.nn.utils.clip_grad_norm_(reference.parameters(), 1.0)
            optimizer.step()
        schedule.step()
    ours = model.state_dict()
    for name, tensor in reference.state_dict().items():
        assert torch.allclose(ours[name].double(), tensor.double(), rtol=1e-4, atol=1e-5), name
    assert trainer.step == 12


@pytest.mark.parametrize("options, reference", [
    (dict(scheduler="step", step_size=2, gamma=0.5),
     lambda opt: torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)),
    (dict(scheduler="cosine", warmup_epochs=2, min_lr=1e-4),
     lambda opt: torch.optim.lr_scheduler.SequentialLR(opt, [
         torch.optim.lr_scheduler.LinearLR(opt, start_factor=1 / 3, total_iters=2),
         torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=4, eta_min=1e-4)], milestones=[2])),
])
def test_schedules_equal_torch_lr_schedulers(options, reference):
    x = torch.randn(8, 3)
    y = torch.randint(0, 2, (8,))
    model = torch.nn.Linear(3, 2)
    trainer = osteon.train.Trainer(model, "cross_entropy", max_epochs=6, lr=1e-2, batch_size=8,
                                   progress=False, **options)
    history = trainer.fit(x, y).history
    optimizer = torch.optim.SGD(torch.nn.Linear(3, 2).parameters(), lr=1e-2)
    schedule = reference(optimizer)
    for record in history:
        assert record["lr"] == pytest.approx(optimizer.param_groups[0]["lr"], rel=1e-9)
        optimizer.step()
        schedule.step()


def test_python_module_loss_and_callbacks_and_tqdm(capsys):
    x = torch.randn(40, 5)
    y = (x[:, 0] > 0).long()
    model = torch.nn.Sequential(torch.nn.Linear(5, 8), torch.nn.ReLU(), torch.nn.Linear(8, 2))
    seen = {"begin": 0, "batch": 0, "val": 0, "end": []}

    class Hooks:
        def on_epoch_begin(self, epoch):
            seen["begin"] += 1

        def on_batch_end(self, event):
            seen["batch"] += 1

        def on_validation_end(self, record):
            seen["val"] += 1

    trainer = osteon.train.Trainer(model, lambda out, t: torch.nn.functional.cross_entropy(out, t),
                                   callbacks=[Hooks(), lambda record: seen["end"].append(record["epoch"])],
                                   max_epochs=3, lr=0.05, optimizer="sgd", momentum=0.9, nesterov=True,
                                   batch_size=10, val_metric="auc", val_metrics=["accuracy"])
    result = trainer.fit(x, y, x, y)
    assert seen == {"begin": 3, "batch": 12, "val": 3, "end": [1, 2, 3]}
    assert set(result.history[-1]["val"]) == {"loss", "auc", "accuracy"}
    assert "epoch 3" in capsys.readouterr().err  # the tqdm bar
    # The validation AUC is scikit-learn's on the same outputs.
    from sklearn.metrics import roc_auc_score
    with torch.no_grad():
        p = torch.softmax(model.eval()(x), 1)[:, 1]
    assert result.history[-1]["val"]["auc"] == pytest.approx(roc_auc_score(y.numpy(), p.numpy()), abs=1e-12)


def test_training_releases_the_gil():
    x, y = data(n=64)
    model = tiny_resnet()
    trainer = osteon.train.Trainer(model, osteon.losses.CEFocalLoss(gamma=2.0), max_epochs=1, batch_size=16,
                                   progress=False)
    ticks = []
    stop = threading.Event()

    def tick():
        while not stop.is_set():
            ticks.append(time.perf_counter())
            time.sleep(0.001)

    thread = threading.Thread(target=tick)
    thread.start()
    start = time.perf_counter()
    trainer.fit(x, y)
    seconds = time.perf_counter() - start
    stop.set()
    thread.join()
    during = [t for t in ticks if start < t < start + seconds]
    assert len(during) > 0.2 * seconds / 0.002  # the other thread kept running


def test_checkpoints_load_in_torch_and_resume_continues_the_run(tmp_path):
    torch.set_num_threads(1)
    x, y = data()
    options = dict(max_epochs=4, lr=2e-3, betas=(0.5, 0.999), batch_size=8, seed=3, output_dir=str(tmp_path / "run"),
                   keep_last=4, progress=False)
    whole = tiny_resnet()
    osteon.train.Trainer(whole, "cross_entropy", **options).fit(x, y)
    files = sorted((tmp_path / "run").glob("checkpoint_epoch*.pt"))
    assert [f.name for f in files] == [f"checkpoint_epoch000{e}.pt" for e in (1, 2, 3, 4)]
    state = torch.load(files[1])
    assert int(state["trainer.epoch"]) == 2 and int(state["trainer.step"]) == 8
    assert "model.conv1.weight" in state and "rng.torch_cpu" in state and "optimizer.archive" in state
    assert bytes(state["config.text"].tolist()).decode().startswith("max_epochs = 4\noptimizer = adam\nlr = 0.002\n")
    # Resume from epoch 2 in a fresh Trainer and model: the same weights as the whole run, bit for bit.
    resumed = osteon.nn.ResNet18(num_classes=2, in_channels=1)
    trainer = osteon.train.Trainer(resumed, "cross_entropy", **dict(options, output_dir=str(tmp_path / "again")))
    trainer.load_checkpoint(files[1])
    assert trainer.epoch == 2
    trainer.fit(x, y)
    for name, tensor in whole.state_dict().items():
        assert torch.equal(resumed.state_dict()[name], tensor), name
    assert len(trainer.history) == 4


def test_errors_name_the_option_the_metric_and_the_key(tmp_path):
    model = torch.nn.Linear(3, 2)
    with pytest.raises(ValueError, match="lr must be > 0"):
        osteon.train.Trainer(model, "cross_entropy", lr=-1)
    with pytest.raises(ValueError, match="betas\\[1\\] must be in \\[0, 1\\)"):
        osteon.train.Trainer(model, "cross_entropy", betas=(0.9, 1.0))
    with pytest.raises(ValueError, match="unknown validation metric 'f1'"):
        osteon.train.Trainer(model, "cross_entropy", val_metric="f1")
    with pytest.raises(ValueError, match="optimizer must be 'adam', 'adamw' or 'sgd', got 'lbfgs'"):
        osteon.train.Trainer(model, "cross_entropy", optimizer="lbfgs")
    with pytest.raises(TypeError, match="unknown option\\(s\\) learning_rate"):
        osteon.train.Trainer(model, "cross_entropy", learning_rate=1)
    x = torch.randn(8, 3)
    y = torch.randint(0, 2, (8,))
    osteon.train.Trainer(model, "cross_entropy", max_epochs=1, output_dir=str(tmp_path), progress=False).fit(x, y)
    path = tmp_path / "checkpoint_epoch0001.pt"
    before = path.read_bytes()
    other = osteon.train.Trainer(model, "cross_entropy", max_epochs=1, batch_size=4, progress=False)
    with pytest.raises(ValueError, match="batch_size = 32 in the file, 4 now"):
        other.resume(str(tmp_path))
    wider = osteon.train.Trainer(torch.nn.Linear(3, 3), "cross_entropy", max_epochs=1, progress=False)
    with pytest.raises(ValueError, match="key 'model.weight' has shape \\[2, 3\\] in the file, \\[3, 3\\] in the model"):
        wider.load_checkpoint(str(path))
    assert path.read_bytes() == before
    nan_loss = osteon.train.Trainer(model, lambda o, t: o.sum() * float("nan"), max_epochs=1, progress=False)
    with pytest.raises(RuntimeError, match="training loss is nan at epoch 1, step 1"):
        nan_loss.fit(x, y)


def test_predict_with_flips_and_evaluate():
    model = torch.nn.Conv2d(1, 2, 3, padding=1)
    x = torch.randn(4, 1, 6, 6)
    p = osteon.train.predict(model, x, batch_size=3, flip_dims=[-1])
    with torch.no_grad():
        expected = (torch.softmax(model(x), 1) + torch.softmax(model(x.flip(-1)), 1).flip(-1)) / 2
    assert torch.allclose(p, expected, atol=1e-6)
    classifier = torch.nn.Linear(3, 2)
    xs = torch.randn(30, 3)
    ys = torch.randint(0, 2, (30,))
    scores = osteon.train.evaluate(classifier, xs, ys, metrics=["auc", "accuracy"])
    from sklearn.metrics import accuracy_score, roc_auc_score
    with torch.no_grad():
        prob = torch.softmax(classifier(xs), 1)
    assert scores["auc"] == pytest.approx(roc_auc_score(ys, prob[:, 1]), abs=1e-9)
    assert scores["accuracy"] == pytest.approx(accuracy_score(ys, prob.argmax(1)), abs=1e-12)


def test_cross_validate_on_a_nested_manifest(tmp_path):
    g = torch.Generator().manual_seed(2)
    y = torch.randint(0, 2, (60,), generator=g)
    x = torch.randn(60, 4, generator=g) + y.view(60, 1)
    ids = [f"s{i}" for i in range(60)]
    groups = [f"p{i}" for i in range(60)]
    design = osteon.split.nested_split(y.tolist(), 3, groups=groups, test_size=0.2)
    osteon.split.write_manifest(tmp_path / "split.csv", design, ids, y.tolist(), groups)
    result = osteon.train.cross_validate(tmp_path / "split.csv", x, y, lambda fold: torch.nn.Linear(4, 2), "cross_entropy",
                                         metrics=["auc"], ddof=1, max_epochs=3, lr=0.05, batch_size=8,
                                         progress=False)
    auc = result.metrics[0]
    assert len(auc.fold) == 3 and len(auc.holdout) == 3
    import numpy as np
    from sklearn.metrics import roc_auc_score
    assert auc.fold_mean == pytest.approx(np.mean(auc.fold), abs=1e-12)
    assert auc.fold_sd == pytest.approx(np.std(auc.fold, ddof=1), abs=1e-12)
    rows = result.out_of_fold_rows
    assert auc.pooled == pytest.approx(roc_auc_score(y[rows], result.out_of_fold[:, 1]), abs=1e-9)
    ensemble = result.ensemble_probabilities
    assert auc.ensemble_holdout == pytest.approx(roc_auc_score(y[result.holdout_rows], ensemble[:, 1]), abs=1e-9)
    assert "mean ± SD (ddof 1)" in result.table


def test_progress_is_one_plain_line_per_epoch_and_fold_in_logs(capsys, tmp_path):
    x, y = torch.randn(24, 3), torch.randint(0, 2, (24,))
    osteon.train.Trainer(torch.nn.Linear(3, 2), "cross_entropy", max_epochs=2, batch_size=8, progress=True).fit(x, y)
    lines = [l for l in capsys.readouterr().err.splitlines() if l.startswith("epoch")]
    assert [l.split(":")[0] for l in lines] == ["epoch 1/2", "epoch 2/2"] and "train_loss" in lines[0]
    osteon.train.Trainer(torch.nn.Linear(3, 2), "cross_entropy", max_epochs=2, batch_size=8, progress=False).fit(x, y)
    assert capsys.readouterr().err == ""
    split = osteon.split.stratified_kfold(y.tolist(), 3)
    osteon.split.write_manifest(tmp_path / "split.csv", split, [f"s{i}" for i in range(24)], y.tolist())
    osteon.train.cross_validate(tmp_path / "split.csv", x, y, lambda fold: torch.nn.Linear(3, 2), "cross_entropy",
                                max_epochs=1, batch_size=8, progress=True)
    folds = [l for l in capsys.readouterr().err.splitlines() if l.startswith("cross_validate")]
    assert [l.split(" done")[0] for l in folds] == [f"cross_validate: fold {k}/3" for k in (1, 2, 3)]
