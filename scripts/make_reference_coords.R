#!/usr/bin/env Rscript
# Regenerates tests/data/coords_reference.json: pROC 1.18's coords() at given sensitivities /
# specificities (interpolated) and coords(roc, "local maximas"), on aSAH and a tied seeded set.
# Usage (from the repository root):  Rscript scripts/make_reference_coords.R
suppressPackageStartupMessages(library(pROC))
source(file.path("scripts", "reference_json.R"))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
out_path <- file.path("tests", "data", "coords_reference.json")
data(aSAH, package = "pROC", envir = environment())
y <- as.integer(aSAH$outcome == "Poor")
set.seed(31); ty <- sample(c(rep(1L, 25), rep(0L, 35))); tx <- pmin(pmax(round(rnorm(60) + 0.8 * ty + 2), 0), 4)
sets <- list(list(name = "aSAH_s100b", y = y, x = as.numeric(aSAH$s100b)),
             list(name = "aSAH_wfns", y = y, x = as.numeric(as.character(aSAH$wfns))),
             list(name = "aSAH_ndka", y = y, x = as.numeric(aSAH$ndka)),
             list(name = "ties_int", y = ty, x = tx))
at <- c(0, 0.1, 0.25, 1/3, 0.5, 0.75, 0.8, 0.9, 0.95, 0.99, 1)
cases <- lapply(sets, function(s) {
  r <- roc(s$y, s$x, levels = c(0, 1), direction = "<", quiet = TRUE)
  by <- function(input) {
    cc <- coords(r, x = at, input = input, ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
    list(x = at, threshold = as.numeric(cc$threshold), sensitivity = as.numeric(cc$sensitivity),
         specificity = as.numeric(cc$specificity))
  }
  lm <- coords(r, "local maximas", ret = c("threshold", "sensitivity", "specificity"), transpose = FALSE)
  list(name = S(s$name), y = s$y, x = s$x, at_specificity = by("specificity"), at_sensitivity = by("sensitivity"),
       local_maximas = list(threshold = as.numeric(lm$threshold), sensitivity = as.numeric(lm$sensitivity),
                            specificity = as.numeric(lm$specificity)))
})
out <- list(generator = S(sprintf("scripts/make_reference_coords.R with pROC %s, %s", packageVersion("pROC"), R.version.string)),
            cases = cases)
tmp <- paste0(out_path, ".tmp"); writeLines(to_json(out), tmp); invisible(file.rename(tmp, out_path))
cat("wrote", out_path, "\n")
