#!/usr/bin/env Rscript
# Regenerates tests/data/roc_methods_reference.json: pROC 1.18's Obuchowski var / cov (exact) and
# its bootstrap var / cov / roc.test(method = "bootstrap") at boot.n = 10000 (Monte-Carlo: pROC
# draws with R's RNG, so osteon is compared to these to within Monte-Carlo error, not digit for digit).
#
# Usage (from the repository root):  Rscript scripts/make_reference_roc_methods.R   (about a minute)

suppressPackageStartupMessages(library(pROC))
source(file.path("scripts", "reference_json.R"))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else file.path("tests", "data", "roc_methods_reference.json")

data(aSAH, package = "pROC", envir = environment())
y <- as.integer(aSAH$outcome == "Poor")
predictors <- list(s100b = as.numeric(aSAH$s100b), ndka = as.numeric(aSAH$ndka),
                   wfns = as.numeric(as.character(aSAH$wfns)))
r <- lapply(predictors, function(p) roc(y, p, levels = c(0, 1), direction = "<", quiet = TRUE))
B <- 10000L

obuchowski_var <- lapply(r, function(x) S(var(x, method = "obuchowski")))
pairs <- list(c("wfns", "s100b"), c("ndka", "s100b"), c("ndka", "wfns"))
obuchowski_cov <- lapply(pairs, function(p) list(predictors = p, cov = S(cov(r[[p[1]]], r[[p[2]]], method = "obuchowski"))))

set.seed(1)
bootstrap_var <- lapply(c("s100b", "wfns"), function(n) list(
  predictor = S(n), var = S(var(r[[n]], method = "bootstrap", boot.n = B, progress = "none"))))
bootstrap_cov <- lapply(pairs[1:2], function(p) list(
  predictors = p, cov = S(cov(r[[p[1]]], r[[p[2]]], method = "bootstrap", boot.n = B, progress = "none"))))
bootstrap_test <- lapply(pairs[1:2], function(p) {
  t <- roc.test(r[[p[1]]], r[[p[2]]], method = "bootstrap", boot.n = B, progress = "none")
  list(predictors = p, statistic = S(unname(t$statistic)), p_value = S(t$p.value))
})
# unpaired: the first 60 patients' s100b against the others' wfns
ra <- roc(y[1:60], predictors$s100b[1:60], levels = c(0, 1), direction = "<", quiet = TRUE)
rb <- roc(y[61:113], predictors$wfns[61:113], levels = c(0, 1), direction = "<", quiet = TRUE)
tu <- roc.test(ra, rb, method = "bootstrap", boot.n = B, paired = FALSE, progress = "none")

out <- list(
  generator = S(sprintf("scripts/make_reference_roc_methods.R with pROC %s, %s", packageVersion("pROC"), R.version.string)),
  boot_n = S(B), y = y, predictors = predictors,
  obuchowski_var = obuchowski_var, obuchowski_cov = obuchowski_cov,
  bootstrap_var = bootstrap_var, bootstrap_cov = bootstrap_cov, bootstrap_test = bootstrap_test,
  bootstrap_test_unpaired = list(statistic = S(unname(tu$statistic)), p_value = S(tu$p.value)))
tmp <- paste0(out_path, ".tmp")
writeLines(to_json(out), tmp)
invisible(file.rename(tmp, out_path))
cat("wrote", out_path, "\n")
