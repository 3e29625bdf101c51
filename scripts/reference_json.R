# JSON writer shared by the R fixture scripts (R's jsonlite is not a dependency): doubles with
# %.17g so they round-trip exactly, non-finite values as the strings "Inf", "-Inf", "NaN", NA as null.
# Atomic vectors are written as JSON arrays unless wrapped in S() (scalar).
S <- function(x) structure(x, json_scalar = TRUE)

fmt_num <- function(x) {
  if (is.integer(x)) {
    return(ifelse(is.na(x), "null", sprintf("%d", x)))
  }
  vapply(x, function(v) {
    if (is.na(v) && !is.nan(v)) "null"
    else if (is.nan(v)) "\"NaN\""
    else if (v == Inf) "\"Inf\""
    else if (v == -Inf) "\"-Inf\""
    else sprintf("%.17g", v)
  }, character(1), USE.NAMES = FALSE)
}

fmt_str <- function(x) {
  x <- gsub("\\", "\\\\", x, fixed = TRUE)
  x <- gsub("\"", "\\\"", x, fixed = TRUE)
  paste0("\"", x, "\"")
}

fmt_atomic <- function(x) {
  if (is.null(x)) return("null")
  if (is.logical(x)) return(ifelse(is.na(x), "null", ifelse(x, "true", "false")))
  if (is.character(x)) return(fmt_str(x))
  if (is.numeric(x)) return(fmt_num(x))
  stop("unsupported type: ", class(x))
}

to_json <- function(x, indent = 0) {
  pad <- strrep(" ", indent)
  pad2 <- strrep(" ", indent + 1)
  if (is.null(x)) return("null")
  if (is.list(x)) {
    if (length(x) == 0) return(if (is.null(names(x))) "[]" else "{}")
    items <- vapply(x, to_json, character(1), indent = indent + 1, USE.NAMES = FALSE)
    if (!is.null(names(x))) {
      items <- paste0(fmt_str(names(x)), ": ", items)
      return(paste0("{\n", paste0(pad2, items, collapse = ",\n"), "\n", pad, "}"))
    }
    return(paste0("[\n", paste0(pad2, items, collapse = ",\n"), "\n", pad, "]"))
  }
  scalar <- isTRUE(attr(x, "json_scalar"))
  x <- as.vector(x)  # drop names / attributes
  vals <- fmt_atomic(x)
  if (scalar) {
    stopifnot(length(vals) == 1)
    return(vals)
  }
  paste0("[", paste(vals, collapse = ", "), "]")
}


# The provenance fields every R fixture starts with: the generating script and the R / pROC versions.
provenance <- function(generator) {
  list(generator = S(generator), r_version = S(R.version.string),
       proc_version = S(as.character(packageVersion("pROC"))))
}
