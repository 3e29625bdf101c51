#!/usr/bin/env Rscript
# Regenerates tests/data/roc_venkatraman_reference.json: pROC 1.18's roc.test(method = "venkatraman")
# (paired and unpaired; the statistic E is exact, the permutation p-value is Monte-Carlo at
# boot.n = 4000 with R's RNG), smooth(method = "binormal") (coefficients, curve points, AUC), and
# multiclass.roc on a univariate predictor (per-pair AUCs and the Hand & Till mean).
# Usage (from the repository root):  Rscript scripts/make_reference_roc_venkatraman.R  (about a minute)
suppressPackageStartupMessages(library(pROC))
source(file.path("scripts", "reference_json.R"))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
out_path <- file.path("tests", "data", "roc_venkatraman_reference.json")
data(aSAH, package = "pROC", envir = environment())
y <- as.integer(aSAH$outcome == "Poor")
predictors <- list(s100b = as.numeric(aSAH$s100b), ndka = as.numeric(aSAH$ndka),
                   wfns = as.numeric(as.character(aSAH$wfns)))
r <- lapply(predictors, function(p) roc(y, p, levels = c(0, 1), direction = "<", quiet = TRUE))
B <- 4000L
set.seed(11)
paired <- list()
for (p in list(c("wfns", "s100b"), c("ndka", "s100b"), c("s100b", "wfns"))) {
  t <- roc.test(r[[p[1]]], r[[p[2]]], method = "venkatraman", boot.n = B, progress = "none")
  paired[[length(paired) + 1]] <- list(predictors = p, statistic = S(unname(t$statistic)), p_value = S(t$p.value))
}
# Unpaired: women's s100b against men's ndka / wfns (different patients).
women <- aSAH$gender == "Female"
unpaired <- list()
for (p in list(c("s100b", "ndka"), c("s100b", "wfns"), c("wfns", "s100b"))) {
  ra <- roc(y[women], predictors[[p[1]]][women], levels = c(0, 1), direction = "<", quiet = TRUE)
  rb <- roc(y[!women], predictors[[p[2]]][!women], levels = c(0, 1), direction = "<", quiet = TRUE)
  t <- roc.test(ra, rb, method = "venkatraman", paired = FALSE, boot.n = B, progress = "none")
  unpaired[[length(unpaired) + 1]] <- list(predictors = p, statistic = S(unname(t$statistic)), p_value = S(t$p.value))
}
binormal <- lapply(names(predictors), function(n) {
  s <- smooth(r[[n]], method = "binormal", n = 64)
  co <- unname(coef(s$model))
  list(predictor = S(n), n = S(64L), a = S(co[1]), b = S(co[2]), auc = S(as.numeric(auc(s))),
       sensitivities = s$sensitivities, specificities = s$specificities)
})
# Univariate multi-class ROC: the WFNS grade (1..5) as the response, s100b / ndka as the predictor.
grade <- as.integer(as.character(aSAH$wfns))
multiclass <- lapply(c("s100b", "ndka"), function(n) {
  res <- list()
  for (dir in c("auto", "<")) {
    mc <- multiclass.roc(grade, predictors[[n]], direction = dir, quiet = TRUE)
    pairs <- lapply(mc$rocs, function(rr) list(levels = as.integer(rr$levels), direction = S(rr$direction),
                                                auc = S(as.numeric(auc(rr)))))
    res[[dir]] <- list(auc = S(as.numeric(mc$auc)), pairs = pairs)
  }
  list(predictor = S(n), auto = res[["auto"]], less = res[["<"]])
})
out <- list(generator = S(sprintf("scripts/make_reference_roc_venkatraman.R with pROC %s, %s", packageVersion("pROC"), R.version.string)),
            boot_n = S(B), y = y, women = as.integer(women), grade = grade, predictors = predictors,
            venkatraman_paired = paired, venkatraman_unpaired = unpaired, binormal = binormal, multiclass = multiclass)
tmp <- paste0(out_path, ".tmp"); writeLines(to_json(out), tmp); invisible(file.rename(tmp, out_path))
cat("wrote", out_path, "\n")
