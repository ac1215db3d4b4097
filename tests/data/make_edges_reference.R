# R's survey package on the rows of tests/data/edges_domains_reference.json (run once; kept).
#
# The rows are also in tests/data/edges_domains_rows.csv (written from the JSON). From the
# repository root, with R and its survey package (Debian: r-base-core r-cran-survey):
#
#     Rscript tests/data/make_edges_reference.R
#
# It prints, per OPD (a domain of the whole design: strata, villages as PSUs, weights), svyby's
# weighted mean and SE of y1 and of (y1 + y2) / 2, and the design's degrees of freedom, as JSON
# lines that tests/data/edges_domains_reference.json keeps under "r". Lonely PSUs: a second
# design keeps one village in a stratum and prints svymean's SE under each survey.lonely.psu.
library(survey)
d <- read.csv("tests/data/edges_domains_rows.csv")
d$comp <- (d$y1 + d$y2) / 2
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = d, nest = TRUE)
fmt <- function(x) paste0("[", paste(sprintf("%.17g", x), collapse = ", "), "]")
for (v in c("y1", "comp")) {
  b <- svyby(as.formula(paste0("~", v)), ~opd, des, svymean)
  cat(sprintf('{"which": "%s", "mean": %s, "se": %s, "df": %d}\n', v, fmt(b[[v]]), fmt(SE(b)), degf(des)))
}
# one stratum (0) left with a single village: the rows of villages 1-4 dropped
lone <- subset(d, !(stratum == 0 & psu %in% 1:4))
for (how in c("adjust", "average", "certainty")) {
  options(survey.lonely.psu = how)
  dl <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = lone, nest = TRUE)
  m <- svymean(~y1, dl)
  cat(sprintf('{"which": "lonely-%s", "mean": %.17g, "se": %.17g}\n', how, coef(m), SE(m)))
}
