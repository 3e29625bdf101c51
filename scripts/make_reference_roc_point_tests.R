#!/usr/bin/env Rscript
# Regenerates tests/data/roc_point_tests_reference.json: pROC 1.18's roc.test(method = "specificity" /
# "sensitivity") and the bootstrap CI of a partial AUC, at boot.n = 5000 (Monte-Carlo: pROC draws
# with R's RNG; osteon is compared to within Monte-Carlo error).
# Usage (from the repository root):  Rscript scripts/make_reference_roc_point_tests.R  (a few minutes)
suppressPackageStartupMessages(library(pROC))
source(file.path("scripts", "reference_json.R"))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
out_path <- file.path("tests", "data", "roc_point_tests_reference.json")
data(aSAH, package = "pROC", envir = environment())
y <- as.integer(aSAH$outcome == "Poor")
predictors <- list(s100b = as.numeric(aSAH$s100b), ndka = as.numeric(aSAH$ndka),
                   wfns = as.numeric(as.character(aSAH$wfns)))
r <- lapply(predictors, function(p) roc(y, p, levels = c(0, 1), direction = "<", quiet = TRUE))
B <- 5000L
set.seed(7)
tests <- list()
for (spec in list(list(method = "specificity", at = 0.9), list(method = "sensitivity", at = 0.8))) {
  for (p in list(c("wfns", "s100b"), c("ndka", "s100b"))) {
    args <- list(r[[p[1]]], r[[p[2]]], method = spec$method, boot.n = B, progress = "none")
    args[[spec$method]] <- spec$at
    t <- do.call(roc.test, args)
    tests[[length(tests) + 1]] <- list(predictors = p, input = S(spec$method), at = S(spec$at),
                                       statistic = S(unname(t$statistic)), p_value = S(t$p.value),
                                       estimate = unname(t$estimate))  # pROC's estimate: the two AUCs
  }
}
pauc <- lapply(c("s100b", "wfns"), function(n) {
  rp <- roc(y, predictors[[n]], levels = c(0, 1), direction = "<", quiet = TRUE,
            partial.auc = c(1, 0.8), partial.auc.focus = "specificity", partial.auc.correct = FALSE)
  ci <- ci.auc(rp, method = "bootstrap", boot.n = B, progress = "none")
  # ci.auc(method = "bootstrap") returns (2.5 %, median of the replicates, 97.5 %)
  list(predictor = S(n), low = S(0.8), high = S(1), auc = S(as.numeric(ci[2])), ci_low = S(as.numeric(ci[1])),
       ci_high = S(as.numeric(ci[3])))
})
out <- list(generator = S(sprintf("scripts/make_reference_roc_point_tests.R with pROC %s, %s", packageVersion("pROC"), R.version.string)),
            boot_n = S(B), y = y, predictors = predictors, point_tests = tests, partial_auc_ci = pauc)
tmp <- paste0(out_path, ".tmp"); writeLines(to_json(out), tmp); invisible(file.rename(tmp, out_path))
cat("wrote", out_path, "\n")
