#!/usr/bin/env Rscript
# Regenerates tests/data/power_reference.json: pROC's power.roc.test in each of its modes
# (tested with pROC 1.18.0, R 4.2.2, Debian 12 r-cran-proc).
#
# Usage (from the repository root):  Rscript scripts/make_reference_power.R
# The aSAH data of the "roc" cases are stored in the JSON, so the consumers never need R.

suppressPackageStartupMessages(library(pROC))
source(file.path("scripts", "reference_json.R"))
args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else file.path("tests", "data", "power_reference.json")

nul <- function(x) if (is.null(x)) NULL else S(x)
result_of <- function(p) list(ncases = S(as.numeric(p$ncases)), ncontrols = S(as.numeric(p$ncontrols)),
                              sig_level = S(as.numeric(p$sig.level)), power = S(as.numeric(p$power)),
                              auc = if (is.null(p$auc)) NULL else S(as.numeric(p$auc)))
args_of <- function(a) lapply(a, function(v) if (is.character(v)) S(v) else S(as.numeric(v)))

## one curve against AUC = 0.5 (power.roc.test.numeric)
one_curve <- list(
  list(auc = 0.8, ncases = 41, ncontrols = 45),                        # power
  list(auc = 0.72, ncases = 30, ncontrols = 90),
  list(auc = 0.65, ncases = 100, ncontrols = 100, alternative = "one.sided"),
  list(auc = 0.9, ncases = 12, kappa = 2.5),                           # ncontrols from kappa
  list(auc = 0.8, power = 0.9),                                        # sample size, kappa = 1
  list(auc = 0.7, power = 0.8, kappa = 3),
  list(auc = 0.6, power = 0.95, kappa = 0.5, sig.level = 0.01),
  list(auc = 0.75, power = 0.8, alternative = "one.sided"),
  list(ncases = 41, ncontrols = 45, power = 0.9),                      # AUC (uniroot)
  list(ncases = 20, ncontrols = 200, power = 0.8, sig.level = 0.01),
  list(ncases = 150, ncontrols = 150, power = 0.95, alternative = "one.sided"),
  list(ncontrols = 60, kappa = 2, power = 0.8),
  list(auc = 0.8, ncases = 41, ncontrols = 45, power = 0.9, sig.level = NULL),  # sig.level
  list(auc = 0.7, ncases = 80, ncontrols = 40, power = 0.5, sig.level = NULL, alternative = "one.sided")
)
one_curve_cases <- lapply(one_curve, function(a) {
  p <- do.call(power.roc.test, a)
  given <- a
  if ("sig.level" %in% names(a) && is.null(a$sig.level)) given$sig.level <- NULL
  list(args = args_of(given), sig_level_unset = S("sig.level" %in% names(a) && is.null(a$sig.level)),
       result = result_of(p))
})

## two binormal curves (power.roc.test.list, Obuchowski & McClish 1997)
pars <- list(
  full_paired = list(A1 = 1.2, B1 = 1, A2 = 0.8, B2 = 1, rn = 0.4, ra = 0.6, delta = 0.1),
  full_unequal_b = list(A1 = 1.6, B1 = 0.7, A2 = 1.1, B2 = 1.3, rn = 0.3, ra = 0.5, delta = 0.08),
  unpaired = list(A1 = 1.2, B1 = 1, A2 = 0.8, B2 = 1, rn = 0, ra = 0, delta = 0.1),
  partial = list(A1 = 2.6, B1 = 1, A2 = 1.9, B2 = 1, rn = 0.6, ra = 0.6, delta = 0.037,
                 FPR11 = 0, FPR12 = 0.2, FPR21 = 0, FPR22 = 0.2)
)
list_modes <- list(
  list(power = 0.9),
  list(power = 0.8, kappa = 2, sig.level = 0.01),
  list(power = 0.8, alternative = "one.sided"),
  list(ncases = 200, ncontrols = 300),
  list(ncases = 150, kappa = 1.5, alternative = "one.sided"),
  list(ncases = 300, ncontrols = 300, power = 0.8, sig.level = NULL)
)
binormal_cases <- list()
for (name in names(pars)) for (m in list_modes) {
  p <- do.call(power.roc.test, c(list(pars[[name]]), m))
  given <- m
  if ("sig.level" %in% names(m) && is.null(m$sig.level)) given$sig.level <- NULL
  binormal_cases[[length(binormal_cases) + 1]] <- list(
    name = S(name), pars = args_of(pars[[name]]), args = args_of(given),
    sig_level_unset = S("sig.level" %in% names(m) && is.null(m$sig.level)), result = result_of(p))
}

## observed curves (power.roc.test.roc), pROC's aSAH data
data(aSAH, package = "pROC", envir = environment())
y <- as.integer(aSAH$outcome == "Poor")
predictors <- list(s100b = as.numeric(aSAH$s100b), ndka = as.numeric(aSAH$ndka),
                   wfns = as.numeric(as.character(aSAH$wfns)))
r <- lapply(predictors, function(p) roc(y, p, levels = c(0, 1), direction = "<", quiet = TRUE))
roc_modes <- list(list(), list(power = 0.9), list(power = 0.8, sig.level = NULL),
                  list(power = 0.9, kappa = 2), list(alternative = "one.sided"))
roc_cases <- list()
for (pair in list(c("wfns", "s100b"), c("ndka", "s100b"), c("s100b", "wfns"))) for (m in roc_modes) {
  for (method in c("delong", "obuchowski")) {
    p <- do.call(power.roc.test, c(list(r[[pair[1]]], r[[pair[2]]], method = method), m))
    given <- m
    if ("sig.level" %in% names(m) && is.null(m$sig.level)) given$sig.level <- NULL
    roc_cases[[length(roc_cases) + 1]] <- list(
      predictors = pair, method = S(method), args = args_of(given),
      sig_level_unset = S("sig.level" %in% names(m) && is.null(m$sig.level)),
      result = c(result_of(p), list(auc1 = S(as.numeric(p$auc1)), auc2 = S(as.numeric(p$auc2)))))
  }
}
one_roc_cases <- list()
for (name in c("s100b", "wfns")) for (m in list(list(), list(power = 0.9), list(power = 0.9, kappa = 1),
                                                 list(power = 0.8, sig.level = NULL))) {
  p <- do.call(power.roc.test, c(list(r[[name]]), m))
  given <- m
  if ("sig.level" %in% names(m) && is.null(m$sig.level)) given$sig.level <- NULL
  one_roc_cases[[length(one_roc_cases) + 1]] <- list(
    predictor = S(name), args = args_of(given),
    sig_level_unset = S("sig.level" %in% names(m) && is.null(m$sig.level)), result = result_of(p))
}

out <- list(
  generator = S(sprintf("scripts/make_reference_power.R with pROC %s, %s", packageVersion("pROC"), R.version.string)),
  one_curve = one_curve_cases, binormal = binormal_cases,
  asah = list(y = y, predictors = predictors), roc_pairs = roc_cases, one_roc = one_roc_cases)
tmp <- paste0(out_path, ".tmp")
writeLines(to_json(out), tmp)
invisible(file.rename(tmp, out_path))
cat("wrote", out_path, "\n")
