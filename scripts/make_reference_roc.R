#!/usr/bin/env Rscript
# Regenerates tests/data/roc_reference.json: reference ROC / AUC / DeLong values
# computed with pROC (tested with pROC 1.18.0, R 4.2.2, Debian 12 r-cran-proc).
#
# Usage (from the repository root):  Rscript scripts/make_reference_roc.R
# or, for everything:                  sh scripts/make_reference.sh
#
# Dependencies: R + pROC only. JSON is written by hand (no jsonlite); every double
# is printed with sprintf("%.17g"), which round-trips exactly. Non-finite doubles are
# written as the JSON strings "Inf", "-Inf", "NaN"; NA is written as null.
#
# All random inputs are generated here with set.seed() (R >= 3.6 default RNG:
# Mersenne-Twister / Inversion / Rejection) and are stored in the JSON, so the
# consumers of the fixture never need R.

suppressPackageStartupMessages(library(pROC))

RNGkind("Mersenne-Twister", "Inversion", "Rejection")

args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else file.path("tests", "data", "roc_reference.json")

source(file.path("scripts", "reference_json.R"))

## ---------------------------------------------------------------- datasets
datasets <- list()
add_dataset <- function(name, description, y, predictors) {
  y <- as.integer(y)
  stopifnot(all(y %in% c(0L, 1L)), sum(y) >= 2, sum(1L - y) >= 2)
  for (p in predictors) stopifnot(length(p) == length(y), all(is.finite(p)))
  datasets[[length(datasets) + 1]] <<- list(name = name, description = description,
                                           y = y, predictors = predictors)
}

# a. pROC's aSAH data.
data(aSAH, package = "pROC", envir = environment())
add_dataset("aSAH",
  "pROC::aSAH; y = outcome == 'Poor'; wfns as numeric 1..5 (heavily tied)",
  as.integer(aSAH$outcome == "Poor"),
  list(s100b = as.numeric(aSAH$s100b),
       ndka = as.numeric(aSAH$ndka),
       wfns = as.numeric(as.character(aSAH$wfns))))

shuffle_y <- function(m, n) sample(c(rep(1L, m), rep(0L, n)))

# b. heavy ties: integer scores 0..4, two correlated predictors.
set.seed(103)
y <- shuffle_y(30, 45)
lat <- rnorm(75) + 0.9 * y
clip04 <- function(v) pmin(pmax(round(v), 0), 4)
add_dataset("ties_int",
  "integer scores 0..4 (heavy ties), 30 cases / 45 controls, two correlated predictors",
  y,
  list(a = clip04(2 + lat), b = clip04(2 + 0.7 * lat + rnorm(75, sd = 0.8))))

# c. strong imbalance: 7 cases vs 300 controls.
set.seed(202)
y <- shuffle_y(7, 300)
lat <- rnorm(307) + 1.0 * y
add_dataset("imbalance",
  "7 cases vs 300 controls, two correlated continuous predictors",
  y,
  list(a = lat + rnorm(307, sd = 0.5), b = 0.5 * lat + rnorm(307)))

# d. n ~ 50, three correlated predictors (one rounded to 1 decimal -> some ties).
set.seed(303)
y <- shuffle_y(22, 28)
lat <- rnorm(50) + 0.8 * y
add_dataset("small_n50",
  "n = 50 (22 cases / 28 controls), three correlated predictors, p3 rounded to 1 decimal",
  y,
  list(p1 = lat + rnorm(50, sd = 0.6),
       p2 = exp(0.5 * lat + rnorm(50, sd = 0.7)),
       p3 = round(-1 + 0.8 * lat + rnorm(50, sd = 0.9), 1)))

# e. n ~ 2000, two correlated predictors.
set.seed(404)
y <- shuffle_y(800, 1200)
lat <- rnorm(2000) + 0.7 * y
add_dataset("large_n2000",
  "n = 2000 (800 cases / 1200 controls), two correlated continuous predictors",
  y,
  list(a = lat + rnorm(2000, sd = 0.8), b = 0.6 * lat + rnorm(2000, sd = 0.9)))

# f. perfect separation (AUC exactly 1) for two predictors, plus a noisy third.
set.seed(505)
y <- shuffle_y(15, 20)
perf1 <- ifelse(y == 1, runif(35, 2, 3), runif(35, 0, 1))
perf2 <- ifelse(y == 1, rnorm(35, 10), rnorm(35, 0)) # |gap| ensures separation
perf2 <- ifelse(y == 1, pmax(perf2, 6), pmin(perf2, 4))
add_dataset("perfect",
  "perfect separation: perf1 and perf2 have AUC exactly 1 (paired test d = 0, sig = 0 -> Z = 0); noisy has AUC < 1",
  y,
  list(perf1 = perf1, perf2 = perf2, noisy = rnorm(35) + 1.2 * y))

# g. AUC < 0.5 with direction "<" forced.
set.seed(606)
y <- shuffle_y(40, 35)
lat <- rnorm(75) - 0.9 * y
add_dataset("below_half",
  "AUC < 0.5 (cases score lower), direction '<' forced; two correlated predictors",
  y,
  list(a = lat + rnorm(75, sd = 0.5), b = round(lat + rnorm(75, sd = 1), 2)))

# h. three strongly correlated predictors on the same cases.
set.seed(707)
y <- shuffle_y(90, 110)
lat <- rnorm(200) + 0.8 * y
add_dataset("correlated3",
  "three strongly correlated predictors, 90 cases / 110 controls",
  y,
  list(p1 = lat + rnorm(200, sd = 0.4),
       p2 = lat + rnorm(200, sd = 0.6),
       p3 = 0.3 * lat + rnorm(200, sd = 0.5)))

# i. unpaired pair: two independent samples with different case/control sets and sizes.
set.seed(808)
y <- shuffle_y(40, 60)
add_dataset("unpaired_a", "unpaired sample A: 40 cases / 60 controls", y,
  list(x = rnorm(100) + 1.0 * y))
set.seed(909)
y <- shuffle_y(25, 90)
add_dataset("unpaired_b", "unpaired sample B: 25 cases / 90 controls", y,
  list(x = rnorm(115) + 0.5 * y))

# j. numeric edge cases for threshold midpoints: adjacent doubles (midpoint rounds onto
#    a data value -> pROC's near-tie fix) and huge magnitudes (> 1e100 -> a/2 + b/2).
set.seed(1010)
y <- shuffle_y(10, 10)
base <- c(0.1, 1, 3, 1e-300, 2.5)
adj <- c(base, base + base * .Machine$double.eps, base * (1 + 2 * .Machine$double.eps),
         -base, -base - base * .Machine$double.eps)[1:20]
huge <- c(1e300, 1.5e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308,
          1e101, 3e101, 0, 1, -1, 2e150, 2.0000000000000004e150, 5e299, 7e299, 9e299,
          -5e299, 1e100, 1.0000000000000002e100, 4, 8)
add_dataset("numeric_edge",
  "adjacent doubles (near-tie midpoint fix) and huge magnitudes (|midpoint| > 1e100 uses a/2 + b/2)",
  y,
  list(adjacent = sample(adj), huge = sample(huge)))

## ---------------------------------------------------------------- computations
mk_roc <- function(y, x) roc(response = y, predictor = x, levels = c(0, 1),
                             direction = "<", quiet = TRUE)

best_coords <- function(r, method) {
  cc <- coords(r, "best", best.method = method,
               ret = c("threshold", "specificity", "sensitivity"), transpose = FALSE)
  list(threshold = as.numeric(cc$threshold),
       specificity = as.numeric(cc$specificity),
       sensitivity = as.numeric(cc$sensitivity))
}

ci3 <- function(r, level) {
  ci <- as.numeric(ci.auc(r, conf.level = level, method = "delong"))
  list(conf_level = S(level), lower = S(ci[1]), mid = S(ci[2]), upper = S(ci[3]))
}

paired_tests <- function(r1, r2) {
  res <- list()
  for (alt in c("two.sided", "less", "greater")) {
    t <- roc.test(r1, r2, method = "delong", paired = TRUE, alternative = alt)
    t90 <- roc.test(r1, r2, method = "delong", paired = TRUE, alternative = alt,
                    conf.level = 0.9)
    stopifnot(names(t$statistic) == "Z")
    res[[alt]] <- list(
      statistic = S(unname(t$statistic)),
      p_value = S(t$p.value),
      conf_int = as.numeric(t$conf.int),
      conf_level = S(attr(t$conf.int, "conf.level")),
      conf_int_90 = as.numeric(t90$conf.int),
      estimate = as.numeric(t$estimate))
  }
  res
}

unpaired_tests <- function(r1, r2) {
  res <- list()
  for (alt in c("two.sided", "less", "greater")) {
    t <- roc.test(r1, r2, method = "delong", paired = FALSE, alternative = alt)
    stopifnot(names(t$statistic) == "D", names(t$parameter) == "df")
    res[[alt]] <- list(
      statistic = S(unname(t$statistic)),
      df = S(unname(t$parameter)),
      p_value = S(t$p.value),
      conf_int = if (is.null(t$conf.int)) NULL else as.numeric(t$conf.int),
      estimate = as.numeric(t$estimate))
  }
  res
}

rocs <- list()  # rocs[[dataset]][[predictor]]
out_datasets <- list()
for (ds in datasets) {
  rl <- list()
  preds_out <- list()
  for (pn in names(ds$predictors)) {
    x <- ds$predictors[[pn]]
    r <- suppressWarnings(mk_roc(ds$y, x))
    rl[[pn]] <- r
    V <- pROC:::delongPlacements(r)
    preds_out[[length(preds_out) + 1]] <- list(
      name = S(pn),
      scores = x,
      auc = S(as.numeric(r$auc)),
      delong_theta = S(V$theta),
      var_delong = S(suppressWarnings(var(r, method = "delong"))),
      ci_delong_95 = suppressWarnings(ci3(r, 0.95)),
      ci_delong_90 = suppressWarnings(ci3(r, 0.90)),
      placements = list(cases_X = V$X, controls_Y = V$Y),
      roc = list(thresholds = as.numeric(r$thresholds),
                 sensitivities = as.numeric(r$sensitivities),
                 specificities = as.numeric(r$specificities)),
      best_youden = best_coords(r, "youden"),
      best_closest_topleft = best_coords(r, "closest.topleft"))
  }
  rocs[[ds$name]] <- rl
  k <- length(rl)
  pairs_out <- list()
  covm <- matrix(NA_real_, k, k)
  for (i in seq_len(k)) covm[i, i] <- suppressWarnings(var(rl[[i]], method = "delong"))
  if (k >= 2) {
    for (i in 1:(k - 1)) for (j in (i + 1):k) {
      cv <- suppressWarnings(cov(rl[[i]], rl[[j]], method = "delong"))
      covm[i, j] <- covm[j, i] <- cv
      pairs_out[[length(pairs_out) + 1]] <- list(
        i = S(i - 1L), j = S(j - 1L),
        predictor1 = S(names(rl)[i]), predictor2 = S(names(rl)[j]),
        cov_delong = S(cv),
        roc_test_paired = suppressWarnings(paired_tests(rl[[i]], rl[[j]])))
    }
  }
  out_datasets[[length(out_datasets) + 1]] <- list(
    name = S(ds$name),
    description = S(ds$description),
    n_cases = S(sum(ds$y)),
    n_controls = S(sum(1L - ds$y)),
    y = ds$y,
    predictors = preds_out,
    pairs = pairs_out,
    cov_matrix_delong = lapply(seq_len(k), function(i) covm[i, ]))
}

unpaired_specs <- list(
  list(d1 = "unpaired_a", p1 = "x", d2 = "unpaired_b", p2 = "x"),
  list(d1 = "small_n50", p1 = "p1", d2 = "imbalance", p2 = "a"),
  list(d1 = "aSAH", p1 = "wfns", d2 = "ties_int", p2 = "a"))
unpaired_out <- lapply(unpaired_specs, function(s) {
  list(roc1 = list(dataset = S(s$d1), predictor = S(s$p1)),
       roc2 = list(dataset = S(s$d2), predictor = S(s$p2)),
       roc_test_unpaired = suppressWarnings(
         unpaired_tests(rocs[[s$d1]][[s$p1]], rocs[[s$d2]][[s$p2]])))
})

result <- c(provenance("scripts/make_reference_roc.R"), list(
  conventions = S(paste(
    "All ROCs: roc(y, x, levels = c(0, 1), direction = '<') (case = 1 = higher score).",
    "Doubles printed with %.17g; non-finite doubles as strings \"Inf\"/\"-Inf\"/\"NaN\"; NA as null.",
    "roc arrays are pROC's (sorted by increasing threshold: -Inf ... Inf).",
    "ci_delong_*: pROC ci.auc(method = 'delong') = [lower, mid(=theta), upper] clamped to [0, 1].",
    "pairs: i < j (0-based predictor indices); roc.test(roc_i, roc_j, method = 'delong', paired = TRUE).",
    "unpaired statistic is pROC's 'D', df its 'parameter'.")),
  datasets = out_datasets,
  unpaired = unpaired_out))

dir.create(dirname(out_path), recursive = TRUE, showWarnings = FALSE)
con <- file(out_path, open = "wb")
writeLines(to_json(result), con, sep = "\n")
close(con)
cat("wrote", out_path, "\n")
