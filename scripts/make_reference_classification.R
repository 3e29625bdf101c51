#!/usr/bin/env Rscript
# Regenerates tests/data/classification_reference.json: reference values for osteon's threshold,
# multi-class, partial-AUC and proportion-CI code, from R 4.2 + pROC 1.18 (Debian 12 r-cran-proc).
#
# Usage (from the repository root):  Rscript scripts/make_reference_classification.R
# then:                                /usr/bin/python3 scripts/make_reference_stats.py
# (which reads this file's inputs and adds the scikit-learn values).
#
# JSON is written by hand (no jsonlite), with the writer of scripts/make_reference_roc.R: doubles
# as sprintf("%.17g") (exact round trip), non-finite doubles as "Inf"/"-Inf"/"NaN", NA as null.
# All random inputs come from set.seed() and are stored in the file.

suppressPackageStartupMessages(library(pROC))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else file.path("tests", "data", "classification_reference.json")

source(file.path("scripts", "reference_json.R"))
rows_of <- function(m) lapply(seq_len(nrow(m)), function(i) as.numeric(m[i, ]))

mk_roc <- function(y, x, direction = "<") roc(response = y, predictor = x, levels = c(0, 1),
                                              direction = direction, quiet = TRUE)

## ---------------------------------------------------------------- proportion CIs
# prop.test applies min(0.5, |k - n*p0|) as its continuity correction; p0 is chosen far from k/n
# so that the full 1/2 (Newcombe's method 4) is applied.
proportion_cases <- list(c(0, 10), c(1, 10), c(3, 10), c(9, 10), c(10, 10), c(45, 50), c(1, 1), c(0, 1),
                         c(37, 113), c(999, 1000), c(5, 7), c(150, 432))
proportions <- lapply(proportion_cases, function(kn) {
  k <- kn[1]; n <- kn[2]
  p0 <- if (k / n >= 0.5) 1e-3 else 1 - 1e-3
  levels_out <- list()
  for (level in c(0.95, 0.90)) {
    w <- suppressWarnings(prop.test(k, n, p = p0, correct = FALSE, conf.level = level)$conf.int)
    wcc <- suppressWarnings(prop.test(k, n, p = p0, correct = TRUE, conf.level = level)$conf.int)
    cp <- binom.test(k, n, conf.level = level)$conf.int
    levels_out[[sprintf("%.2f", level)]] <- list(
      wilson = as.numeric(w), wilson_cc = as.numeric(wcc), clopper_pearson = as.numeric(cp))
  }
  list(k = S(as.integer(k)), n = S(as.integer(n)), levels = levels_out)
})

## ---------------------------------------------------------------- binary datasets (thresholds, partial AUC)
shuffle_y <- function(m, n) sample(c(rep(1L, m), rep(0L, n)))
binary <- list()
set.seed(2101)
y <- shuffle_y(30, 45)
binary[[length(binary) + 1]] <- list(name = "continuous_n75", y = y, x = rnorm(75) + 1.1 * y)
set.seed(2102)
y <- shuffle_y(20, 25)
binary[[length(binary) + 1]] <- list(name = "ties_n45", y = y, x = as.numeric(pmin(5, pmax(0, round(rnorm(45, 2 + 1.2 * y))))))
set.seed(2103)
y <- shuffle_y(15, 15)
binary[[length(binary) + 1]] <- list(name = "below_diagonal_n30", y = y, x = rnorm(30) - 1.0 * y)
set.seed(2104)
y <- shuffle_y(6, 200)
binary[[length(binary) + 1]] <- list(name = "imbalanced_n206", y = y, x = rnorm(206) + 1.5 * y)

partial_specs <- list(
  list(focus = "specificity", range = c(1, 0.8)),
  list(focus = "specificity", range = c(0.9, 0.6)),
  list(focus = "specificity", range = c(1, 0.95)),
  list(focus = "specificity", range = c(0.51, 0.5)),
  list(focus = "sensitivity", range = c(1, 0.8)),
  list(focus = "sensitivity", range = c(0.9, 0.7)),
  list(focus = "sensitivity", range = c(0.42, 0.41)))

binary_out <- lapply(binary, function(ds) {
  r <- mk_roc(ds$y, ds$x)
  partial <- lapply(partial_specs, function(p) {
    raw <- suppressWarnings(auc(r, partial.auc = p$range, partial.auc.focus = p$focus, partial.auc.correct = FALSE))
    corr <- suppressWarnings(auc(r, partial.auc = p$range, partial.auc.focus = p$focus, partial.auc.correct = TRUE))
    forced <- suppressWarnings(auc(r, partial.auc = p$range, partial.auc.focus = p$focus, partial.auc.correct = TRUE,
                                   allow.invalid.partial.auc.correct = TRUE))
    list(focus = S(p$focus), range = p$range, area = S(as.numeric(raw)), corrected = S(as.numeric(corr)),
         corrected_allow_invalid = S(as.numeric(forced)))
  })
  weighted <- coords(r, "best", best.method = "youden", best.weights = c(2, 0.3),
                     ret = c("threshold", "specificity", "sensitivity"), transpose = FALSE)
  weighted_tl <- coords(r, "best", best.method = "closest.topleft", best.weights = c(2, 0.3),
                        ret = c("threshold", "specificity", "sensitivity"), transpose = FALSE)
  best <- function(method) {
    cc <- coords(r, "best", best.method = method, ret = c("threshold", "specificity", "sensitivity"), transpose = FALSE)
    list(threshold = as.numeric(cc$threshold), specificity = as.numeric(cc$specificity),
         sensitivity = as.numeric(cc$sensitivity))
  }
  list(name = S(ds$name), y = as.integer(ds$y), scores = ds$x, auc = S(as.numeric(r$auc)),
       partial_auc = partial,
       best_youden = best("youden"), best_closest_topleft = best("closest.topleft"),
       best_youden_weights_2_0.3 = list(threshold = as.numeric(weighted$threshold),
                                        specificity = as.numeric(weighted$specificity),
                                        sensitivity = as.numeric(weighted$sensitivity)),
       best_closest_topleft_weights_2_0.3 = list(threshold = as.numeric(weighted_tl$threshold),
                                                 specificity = as.numeric(weighted_tl$specificity),
                                                 sensitivity = as.numeric(weighted_tl$sensitivity)))
})

## ---------------------------------------------------------------- multi-class datasets
softmax_rows <- function(logits) {
  e <- exp(logits - apply(logits, 1, max))
  e / rowSums(e)
}
multiclass <- list()
# a. 3 classes (normal / osteopenia / osteoporosis), 150 samples, two correlated models.
set.seed(3101)
y <- sample(rep(0:2, times = c(60, 50, 40)))
signal <- outer(y, 0:2, function(a, b) 1.2 * (a == b))
shared <- matrix(rnorm(150 * 3), 150, 3)
multiclass[[1]] <- list(name = "three_class_n150", y = y,
  model_a = softmax_rows(signal + shared + 0.5 * matrix(rnorm(150 * 3), 150, 3)),
  model_b = softmax_rows(0.7 * signal + shared + 0.5 * matrix(rnorm(150 * 3), 150, 3)))
# b. 4 classes, integer logits: many tied probabilities.
set.seed(3102)
y <- sample(rep(0:3, times = c(25, 15, 30, 10)))
signal <- outer(y, 0:3, function(a, b) 2 * (a == b))
multiclass[[2]] <- list(name = "four_class_ties_n80", y = y,
  model_a = softmax_rows(signal + matrix(sample(0:3, 80 * 4, replace = TRUE), 80, 4)),
  model_b = softmax_rows(matrix(sample(0:4, 80 * 4, replace = TRUE), 80, 4) + 0.5 * signal))

multiclass_out <- lapply(multiclass, function(ds) {
  k <- ncol(ds$model_a)
  labels <- as.character(0:(k - 1))
  per_model <- function(p) {
    colnames(p) <- labels
    mc <- suppressWarnings(multiclass.roc(factor(ds$y, levels = labels), p))
    per_class <- lapply(0:(k - 1), function(c) {
      r <- mk_roc(as.integer(ds$y == c), p[, c + 1])
      ci <- as.numeric(ci.auc(r, method = "delong"))
      list(auc = S(as.numeric(r$auc)), var_delong = S(var(r, method = "delong")), ci_delong_95 = ci[c(1, 3)])
    })
    list(hand_till = S(as.numeric(mc$auc)), per_class = per_class)
  }
  tests <- lapply(0:(k - 1), function(c) {
    yy <- as.integer(ds$y == c)
    ra <- mk_roc(yy, ds$model_a[, c + 1])
    rb <- mk_roc(yy, ds$model_b[, c + 1])
    t <- roc.test(ra, rb, method = "delong", paired = TRUE)
    list(statistic = S(unname(t$statistic)), p_value = S(t$p.value), conf_int = as.numeric(t$conf.int))
  })
  list(name = S(ds$name), y = as.integer(ds$y), model_a = rows_of(ds$model_a), model_b = rows_of(ds$model_b),
       proc_model_a = per_model(ds$model_a), proc_model_b = per_model(ds$model_b),
       per_class_delong_a_vs_b = tests)
})

## ---------------------------------------------------------------- worked example (docs/classification.md)
# The seed-style results table of study 1 from examples/data/hip_outcome_scores.csv: AUC with
# DeLong CI, the Youden threshold and accuracy / precision / recall there, paired DeLong tests.
hips <- read.csv(file.path("examples", "data", "hip_outcome_scores.csv"))
hip_models <- list(AP = hips$ap_score, Frog = hips$frog_score, `AP+Frog` = (hips$ap_score + hips$frog_score) / 2)
hip_rocs <- lapply(hip_models, function(x) mk_roc(hips$outcome, x))
worked_rows <- lapply(names(hip_rocs), function(name) {
  r <- hip_rocs[[name]]
  ci <- as.numeric(ci.auc(r, method = "delong"))
  best <- coords(r, "best", best.method = "youden", ret = c("threshold", "accuracy", "precision", "recall"),
                 transpose = FALSE)
  stopifnot(nrow(best) == 1)
  list(model = S(name), auc = S(ci[2]), ci = ci[c(1, 3)], threshold = S(best$threshold),
       accuracy = S(best$accuracy), precision = S(best$precision), recall = S(best$recall))
})
worked_tests <- lapply(c("AP", "Frog"), function(other) {
  t <- roc.test(hip_rocs[["AP+Frog"]], hip_rocs[[other]], method = "delong", paired = TRUE)
  list(a = S("AP+Frog"), b = S(other), statistic = S(unname(t$statistic)), p_value = S(t$p.value),
       conf_int = as.numeric(t$conf.int))
})

result <- c(provenance("scripts/make_reference_classification.R"), list(
  conventions = S(paste(
    "Binary ROCs: roc(y, x, levels = c(0, 1), direction = '<'). proportions: prop.test(k, n, p0, correct)",
    "(Wilson / Wilson-CC; p0 far from k/n so the full 1/2 correction applies) and binom.test (Clopper-Pearson),",
    "conf.int at levels 0.95 and 0.90. partial_auc: auc(roc, partial.auc = range, partial.auc.focus,",
    "partial.auc.correct = FALSE / TRUE / TRUE + allow.invalid.partial.auc.correct); NA (below the diagonal) is null.",
    "best_*: coords(roc, 'best', best.method, best.weights) — every tied row. multiclass: rows of class",
    "probabilities (softmax of generated logits); hand_till = multiclass.roc(factor(y), probability matrix)$auc;",
    "per_class = roc(y == k, p[, k]) with var / ci.auc (DeLong); per_class_delong_a_vs_b =",
    "roc.test(roc_a_k, roc_b_k, method = 'delong', paired = TRUE).")),
  proportions = proportions,
  binary = binary_out,
  multiclass = multiclass_out,
  worked_example = list(data = S("examples/data/hip_outcome_scores.csv; AP+Frog = (ap_score + frog_score) / 2"),
                        rows = worked_rows, delong_tests = worked_tests)))

dir.create(dirname(out_path), recursive = TRUE, showWarnings = FALSE)
con <- file(out_path, open = "wb")
writeLines(to_json(result), con, sep = "\n")
close(con)
cat("wrote", out_path, "\n")
