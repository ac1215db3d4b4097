# Reference values for tests/test_compare_segments_design.py, made once with R's survey
# package (Debian r-cran-survey 4.1-1):
#   Rscript tests/data/make_segments_design_reference.R
# Segments (gender) as domains of a weighted, stratified, clustered design: svyby + svymean,
# and the gap Perempuan - Laki-laki with svycontrast (covariance of the two domains included).
library(survey)
options(survey.lonely.psu = "adjust")
d <- read.csv("tests/data/segments_design.csv", stringsAsFactors = FALSE)
items <- c("persyaratan", "prosedur", "waktu", "biaya", "produk", "kompetensi",
           "perilaku", "pengaduan", "sarana")
d$y <- rowMeans(d[, items])  # complete answers: the mean of item means is the mean of y
d$cell <- paste(d$opd, d$gender, sep = "/")
des <- svydesign(ids = ~psu, strata = ~stratum, weights = ~weight, data = d, nest = TRUE)
out <- data.frame()
by_g <- svyby(~y, ~gender, des, svymean, covmat = TRUE)
gap <- svycontrast(by_g, c("Laki-laki" = -1, "Perempuan" = 1))
out <- rbind(out, data.frame(what = paste0("pooled/", by_g$gender), estimate = unname(coef(by_g)),
                             se = unname(SE(by_g))))
out <- rbind(out, data.frame(what = "pooled-gap", estimate = unname(coef(gap)), se = unname(SE(gap))))
by_c <- svyby(~y, ~cell, des, svymean, covmat = TRUE)
out <- rbind(out, data.frame(what = by_c$cell, estimate = unname(coef(by_c)), se = unname(SE(by_c))))
for (o in unique(d$opd)) {
  w <- setNames(c(-1, 1), paste(o, c("Laki-laki", "Perempuan"), sep = "/"))
  cc <- svycontrast(by_c, w)
  out <- rbind(out, data.frame(what = paste0(o, "/gap"), estimate = unname(coef(cc)), se = unname(SE(cc))))
}
out$df <- degf(des)
write.csv(out, "tests/data/segments_design_reference.csv", row.names = FALSE)
