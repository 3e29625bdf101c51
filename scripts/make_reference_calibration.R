#!/usr/bin/env Rscript
# Regenerates tests/data/calibration_reference.json: rms::val.prob (rms 6.5.0) calibration
# statistics and R's lowess, on data generated here with set.seed() and stored in the JSON.
# scripts/make_reference_calibration_sklearn.py adds scikit-learn's outputs on the same data.
#
# Usage (from the repository root):  Rscript scripts/make_reference_calibration.R

suppressPackageStartupMessages(library(rms))
source(file.path("scripts", "reference_json.R"))
RNGkind("Mersenne-Twister", "Inversion", "Rejection")
args <- commandArgs(trailingOnly = TRUE)
out_path <- if (length(args) >= 1) args[1] else file.path("tests", "data", "calibration_reference.json")

datasets <- list()
add <- function(name, description, y, p) {
  stopifnot(length(y) == length(p), all(p >= 0 & p <= 1))
  v <- suppressWarnings(val.prob(p, y, pl = FALSE))
  datasets[[length(datasets) + 1]] <<- list(
    name = S(name), description = S(description), y = as.integer(y), p = as.numeric(p),
    val_prob = list(brier = S(unname(v["Brier"])), intercept = S(unname(v["Intercept"])),
                    slope = S(unname(v["Slope"])), emax = S(unname(v["Emax"])), e90 = S(unname(v["E90"])),
                    eavg = S(unname(v["Eavg"])), spiegelhalter_z = S(unname(v["S:z"])),
                    spiegelhalter_p = S(unname(v["S:p"]))))
}

set.seed(11); x <- rnorm(300)
add("overconfident", "n = 300; outcome from logit 0.3 + 1.2x, predictions from 0.1 + 0.9x",
    rbinom(300, 1, plogis(0.3 + 1.2 * x)), plogis(0.1 + 0.9 * x))
set.seed(12); x <- rnorm(500)
add("well_calibrated", "n = 500 drawn from the predicted probabilities themselves",
    rbinom(500, 1, plogis(-1 + x)), plogis(-1 + x))
set.seed(13); x <- rnorm(150)
add("ties", "n = 150, predictions rounded to 2 decimals (many ties)",
    rbinom(150, 1, plogis(0.5 * x)), round(plogis(0.2 + 1.5 * x), 2))
set.seed(14); x <- rnorm(40)
add("small", "n = 40, underconfident predictions", rbinom(40, 1, plogis(2 * x)), plogis(0.6 * x))
set.seed(15); x <- rnorm(200)
p <- plogis(1.3 * x); p[c(3, 50)] <- 0; p[c(7, 120)] <- 1
y <- rbinom(200, 1, plogis(x)); y[c(3, 50)] <- 0; y[c(7, 120)] <- 1
add("zeros_ones", "n = 200 with two predictions of exactly 0 and two of exactly 1 (left out of the logistic fit)", y, p)
set.seed(16); x <- rnorm(2000)
add("large", "n = 2000, rare outcome (about 10 %)", rbinom(2000, 1, plogis(-2.4 + x)), plogis(-2.2 + 0.8 * x))

lowess_cases <- list()
set.seed(21); lx <- round(runif(60, 0, 10), 1); ly <- sin(lx) + rnorm(60, sd = 0.3)
for (f in c(2/3, 0.3)) for (iter in c(0L, 3L)) {
  s <- lowess(lx, ly, f = f, iter = iter)
  lowess_cases[[length(lowess_cases) + 1]] <- list(f = S(f), iter = S(iter), x = lx, y = ly,
                                                   fitted_x = s$x, fitted = s$y)
}

out <- list(generator = S(sprintf("scripts/make_reference_calibration.R with rms %s, %s",
                                   packageVersion("rms"), R.version.string)),
            datasets = datasets, lowess = lowess_cases)
tmp <- paste0(out_path, ".tmp")
writeLines(to_json(out), tmp)
invisible(file.rename(tmp, out_path))
cat("wrote", out_path, "\n")
