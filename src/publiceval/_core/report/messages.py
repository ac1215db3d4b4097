"""The one message catalogue of every report label, in Indonesian and English.

Templates and reporters take labels from here and nowhere else, so a report never mixes
languages and a translator has one file to read. Labels may hold ``{name}`` placeholders,
filled with :meth:`Messages.format`.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from types import MappingProxyType

from ..errors import PublicevalError
from ..text import Lang, Text
from .messages_plain import PLAIN

__all__ = ["MESSAGES", "Messages", "messages"]


def _t(id_: str, en: str) -> Text:
    return Text(id=id_, en=en)


_CATALOGUE: dict[str, Text] = {
    # document
    "report_kind": _t("Laporan evaluasi pelayanan publik", "Public service evaluation report"),
    "contents": _t("Daftar isi", "Contents"),
    "generated_by": _t("Dibuat dengan {library} {version}", "Made with {library} {version}"),
    "none": _t("Tidak ada", "None"),
    "dash": _t("–", "–"),
    "yes": _t("ya", "yes"),
    "no": _t("tidak", "no"),
    "of": _t("dari", "of"),
    # summary
    "summary": _t("Ringkasan", "Summary"),
    "organisation": _t("Penyelenggara", "Organisation"),
    "city": _t("Wilayah", "Place"),
    "period": _t("Periode", "Period"),
    "respondents": _t("Responden", "Respondents"),
    "responses_used": _t("Jawaban per OPD dipakai", "OPD responses used"),
    "opd_count": _t("OPD dinilai", "OPDs evaluated"),
    "method": _t("Metode penilaian", "Scoring method"),
    "scheme": _t("Skema kategori", "Category scheme"),
    "compared_schemes": _t("Skema pembanding", "Compared schemes"),
    "confidence": _t("Tingkat kepercayaan", "Confidence level"),
    "score_scale": _t("Skala skor", "Score scale"),
    "highest": _t("Skor tertinggi", "Highest score"),
    "lowest": _t("Skor terendah", "Lowest score"),
    "per_category": _t("OPD per kategori", "OPDs per category"),
    "count_of_total": _t("{count} dari {total} OPD", "{count} of {total} OPDs"),
    "published_aggregate": _t(
        "Skor berasal dari angka yang diterbitkan, tanpa data per responden: ketidakpastiannya "
        "tidak dapat dihitung.",
        "Scores are published figures without data per respondent: their uncertainty cannot "
        "be computed.",
    ),
    # ranking
    "ranking": _t("Peringkat OPD", "OPD ranking"),
    "rank": _t("Peringkat", "Rank"),
    "opd": _t("OPD", "OPD"),
    "score": _t("Skor", "Score"),
    "n": _t("n", "n"),
    "ci": _t("Rentang {level}", "{level} range"),
    "se": _t("Galat baku", "Standard error"),
    "category": _t("Kategori", "Category"),
    "rank_interval": _t("Rentang peringkat", "Rank range"),
    "category_probability": _t("Peluang kategori", "Category probability"),
    "tier": _t("Kelompok", "Group"),
    "adequacy": _t("Kecukupan sampel", "Sample adequacy"),
    "flags": _t("Catatan", "Notes"),
    "shared_rank_note": _t(
        "Tanda = menandai peringkat bersama: skornya sama pada angka yang dilaporkan.",
        "An = marks a shared rank: the scores are equal as reported.",
    ),
    "ci_note": _t(
        "Rentang {level}: dengan keyakinan {level}, skor sebenarnya berada dalam rentang ini.",
        "{level} range: with {level} confidence the true score lies in this range.",
    ),
    "no_ci": _t("tanpa rentang", "no range"),
    "unranked": _t("tidak diperingkat", "not ranked"),
    # score chart
    "chart_scores": _t(
        "Skor OPD dengan rentang {level} di atas pita kategori",
        "OPD scores with their {level} ranges over the category bands",
    ),
    "chart_scores_scheme": _t("Pita kategori: {scheme}", "Category bands: {scheme}"),
    "axis_score": _t("Skor: {unit}", "Score: {unit}"),
    "legend_score": _t("Skor", "Score"),
    "legend_ci": _t("Rentang keyakinan", "Confidence range"),
    "axis_rank": _t("Peringkat (1 = skor tertinggi)", "Rank (1 = highest score)"),
    "chart_scores_many": _t(
        "Satu titik per OPD ({count} OPD), urut menurut peringkat; nama dan angka tiap OPD ada "
        "di tabel peringkat di atas.",
        "One dot per OPD ({count} OPDs) in rank order; each OPD's name and figures are in the "
        "ranking table above.",
    ),
    "chart_clipped": _t(
        "Sumbu dipotong ke rentang data; garis selang yang terpotong berujung panah.",
        "The axis is cut to the range of the data; clipped intervals end in an arrow.",
    ),
    # items
    "item_profile": _t("Profil unsur per OPD", "Item profile per OPD"),
    "item_profile_intro": _t(
        "Rata-rata tiap unsur per OPD; unsur terlemah tiap OPD ditandai.",
        "Mean of each item per OPD; each OPD's weakest item is marked.",
    ),
    "item": _t("Unsur", "Item"),
    "item_id": _t("Kode", "Code"),
    "element": _t("Unsur SKM", "SKM element"),
    "weakest": _t("Unsur terlemah", "Weakest item"),
    "weakest_mark": _t("terlemah", "weakest"),
    "reverse_coded": _t("skala terbalik", "reverse-coded"),
    "item_mean": _t("Rata-rata unsur", "Item mean"),
    "opd_details": _t("Rincian per OPD", "Details per OPD"),
    "no_item_scores": _t(
        "Tidak ada skor per unsur (misalnya karena hanya angka agregat yang tersedia).",
        "No per-item scores (for example because only aggregate figures are available).",
    ),
    # distributions
    "distributions": _t("Sebaran jawaban", "Answer distributions"),
    "distributions_intro": _t(
        "Batang menyebar dari tengah: jawaban negatif ke kiri, positif ke kanan; jawaban tengah "
        "dibagi dua.",
        "Bars diverge from the centre: negative answers to the left, positive to the right; a "
        "middle answer is split in half.",
    ),
    "all_opds": _t("Semua OPD digabung", "All OPDs pooled"),
    "axis_percent": _t("Persen jawaban", "Percent of answers"),
    "answers": _t("Jawaban", "Answers"),
    "survey_wide": _t("Pertanyaan umum (seluruh responden)", "Survey-wide questions"),
    "question": _t("Pertanyaan", "Question"),
    # scheme comparison
    "scheme_comparison": _t("Perbandingan skema kategori", "Comparison of category schemes"),
    "scheme_comparison_intro": _t(
        "Skor yang sama dapat masuk kategori berbeda menurut skema yang dipilih.",
        "The same scores can fall into different categories depending on the scheme chosen.",
    ),
    "main_scheme": _t("skema utama", "main scheme"),
    # recommendations
    "recommendations": _t("Rekomendasi", "Recommendations"),
    "priority": _t("Prioritas", "Priority"),
    "target": _t("Sasaran", "Target"),
    "city_wide": _t("Seluruh kota", "City-wide"),
    "rule": _t("Aturan", "Rule"),
    "evidence": _t("Bukti", "Evidence"),
    "metric": _t("Ukuran", "Metric"),
    "value": _t("Nilai", "Value"),
    "comparator": _t("Pembanding", "Comparison"),
    "threshold": _t("Ambang", "Threshold"),
    "no_recommendations": _t("Tidak ada rekomendasi.", "No recommendations."),
    # data quality
    "data_quality": _t("Kualitas data", "Data quality"),
    "rows_read": _t("Baris dibaca", "Rows read"),
    "rows_used": _t("Baris dipakai", "Rows used"),
    "rows_rejected": _t("Baris ditolak", "Rows rejected"),
    "reject_reasons": _t("Alasan penolakan", "Reasons for rejection"),
    "reason": _t("Alasan", "Reason"),
    "count": _t("Jumlah", "Count"),
    "rejects": _t("Baris yang ditolak", "Rejected rows"),
    "rejects_truncated": _t(
        "Hanya {shown} entri pertama yang disimpan; jumlah di atas mencakup semua baris.",
        "Only the first {shown} entries are kept; the counts above cover every row.",
    ),
    "source": _t("Sumber", "Source"),
    "row": _t("Baris", "Row"),
    "column": _t("Kolom", "Column"),
    "message": _t("Keterangan", "Message"),
    "placeholder_mark": _t("†", "†"),
    "placeholder_note": _t(
        "† Nilai pengganti: skor ini tidak ada dalam publikasi.",
        "† Placeholder: this score is not in the publication.",
    ),
    "reliability": _t("Reliabilitas instrumen", "Instrument reliability"),
    "dimension": _t("Dimensi", "Dimension"),
    "all_items": _t("Semua unsur", "All items"),
    "cronbach_alpha": _t("Alfa Cronbach", "Cronbach's alpha"),
    "alpha_if_deleted": _t("Alfa jika unsur dihapus", "Alpha if item deleted"),
    "item_total": _t("Korelasi unsur–total terkoreksi", "Corrected item–total correlation"),
    "reverse_keyed": _t("dibalik", "reverse-keyed"),
    "small_samples": _t(
        "Sampel kecil dan skor tanpa rentang", "Small samples and scores without a range"
    ),
    "no_small_samples": _t(
        "Semua OPD memiliki skor dengan rentang keyakinan.",
        "Every OPD has a score with a confidence range.",
    ),
    "warnings": _t("Peringatan", "Warnings"),
    "no_warnings": _t("Tidak ada peringatan.", "No warnings."),
    "code": _t("Kode", "Code"),
    # appendix
    "appendix": _t("Lampiran: metode dan asal-usul", "Appendix: method and provenance"),
    "component": _t("Komponen", "Component"),
    "name": _t("Nama", "Name"),
    "plugin": _t("Plugin", "Plugin"),
    "options": _t("Opsi", "Options"),
    "rules": _t("Aturan rekomendasi", "Recommendation rules"),
    "bands": _t("Pita kategori", "Category bands"),
    "band_low": _t("Batas bawah", "From"),
    "band_high": _t("Batas atas", "To"),
    "band_rule": _t(
        "Skor tepat pada batas dua pita masuk pita menurut aturan skema (lihat opsinya).",
        "A score exactly on the edge of two bands goes where the scheme's rule puts it (see its "
        "options).",
    ),
    "precision_note": _t(
        "Skor dibulatkan ke {precision} desimal sebelum dibandingkan dengan batas pita.",
        "Scores are rounded to {precision} decimals before being compared with the band edges.",
    ),
    "ci_method": _t("Metode rentang keyakinan", "Method of the confidence range"),
    "library": _t("Pustaka", "Library"),
    "version": _t("Versi", "Version"),
    "schema_version": _t("Versi skema JSON", "JSON schema version"),
    "seed": _t("Benih acak", "Random seed"),
    "data_source": _t("Sumber data", "Data source"),
    "respondent_data": _t("data responden", "respondent data"),
    "aggregate_data": _t("angka agregat terbit", "published aggregates"),
    "score_source": _t("Jenis data skor", "Kind of score data"),
    # plain-text table (``table`` reporter): shorter forms
    "table.survey_wide": _t("Pertanyaan umum", "Survey-wide questions"),
    "table.method": _t("Metode", "Method"),
    "table.data_rows": _t("Baris data", "Data rows"),
    "table.read": _t("dibaca", "read"),
    "table.used": _t("dipakai", "used"),
    "table.rejected": _t("ditolak", "rejected"),
    # spreadsheet sheets (at most 31 characters)
    "sheet_summary": _t("Ringkasan", "Summary"),
    "sheet_opds": _t("Skor OPD", "OPD scores"),
    "sheet_items": _t("Skor unsur", "Item scores"),
    "sheet_survey_wide": _t("Pertanyaan umum", "Survey-wide"),
    "sheet_recommendations": _t("Rekomendasi", "Recommendations"),
    "sheet_rejects": _t("Baris ditolak", "Rejected rows"),
    "sheet_warnings": _t("Peringatan", "Warnings"),
    "sheet_method": _t("Metode", "Method"),
    "ci_low": _t("Rentang, batas bawah", "Range, low end"),
    "ci_high": _t("Rentang, batas atas", "Range, high end"),
    "rank_low": _t("Peringkat terbaik", "Best rank"),
    "rank_high": _t("Peringkat terburuk", "Worst rank"),
    "opd_id": _t("Kode OPD", "OPD id"),
    "short_name": _t("Nama singkat", "Short name"),
    "title": _t("Judul", "Title"),
    "text": _t("Uraian", "Text"),
    "answers_at": _t("Jawaban {point}", "Answers {point}"),
    # evidence metrics and comparators
    "metric.rank": _t("Peringkat", "Rank"),
    "metric.score": _t("Skor", "Score"),
    "metric.n": _t("Jumlah responden", "Number of respondents"),
    "metric.category": _t("Kategori", "Category"),
    # flags the statistics set on OPDs (unknown flags are shown as they are)
    "flag.small-sample": _t("sampel kecil", "small sample"),
    "flag.inadequate-sample": _t("sampel tidak memadai", "inadequate sample"),
    "flag.no-standard-error": _t(
        "ketidakpastian tidak dapat dihitung", "uncertainty cannot be computed"
    ),
    # sample adequacy fields
    "adequacy.adequate": _t("memadai", "adequate"),
    "adequacy.n": _t("n", "n"),
    "adequacy.required": _t("dibutuhkan", "required"),
    "adequacy.criterion": _t("kriteria", "criterion"),
    # warning codes (the message comes from the evaluation, translated where it carries one)
    "warning.inadequate_sample": _t("Sampel tidak memadai", "Inadequate sample"),
    "warning.rank_not_supported": _t(
        "Peringkat tidak didukung data", "Rank not supported by the data"
    ),
    "warning.rows_rejected": _t("Baris ditolak", "Rows rejected"),
    "warning.no_score": _t("Tanpa skor", "No score"),
    "warning.period": _t("Periode yang dinilai", "Period evaluated"),
    "warning.rule_failed": _t("Aturan gagal", "Rule failed"),
    "warning.small_sample": _t("Sampel kecil", "Small sample"),
    # months, for dates
    "month.1": _t("Januari", "January"),
    "month.2": _t("Februari", "February"),
    "month.3": _t("Maret", "March"),
    "month.4": _t("April", "April"),
    "month.5": _t("Mei", "May"),
    "month.6": _t("Juni", "June"),
    "month.7": _t("Juli", "July"),
    "month.8": _t("Agustus", "August"),
    "month.9": _t("September", "September"),
    "month.10": _t("Oktober", "October"),
    "month.11": _t("November", "November"),
    "month.12": _t("Desember", "December"),
    # reject reasons (codes are RejectReason values)
    "reason.unknown_opd": _t("OPD tidak dikenal", "Unknown OPD"),
    "reason.missing_opd": _t("OPD kosong", "OPD missing"),
    "reason.missing_respondent": _t("Responden kosong", "Respondent missing"),
    "reason.unknown_item": _t("Pertanyaan tidak dikenal", "Unknown question"),
    "reason.unknown_label": _t("Jawaban tidak dikenal", "Unknown answer"),
    "reason.not_integer": _t("Bukan bilangan bulat", "Not a whole number"),
    "reason.out_of_range": _t("Di luar rentang skala", "Outside the scale"),
    "reason.bad_weight": _t("Bobot tidak sah", "Invalid weight"),
    "reason.no_answers": _t("Tanpa jawaban", "No answers"),
    "reason.missing_required": _t("Jawaban wajib kosong", "Required answer missing"),
    "reason.duplicate_response": _t("Jawaban ganda", "Duplicate response"),
    "reason.conflicting_answer": _t("Jawaban bertentangan", "Conflicting answer"),
    "reason.malformed_row": _t("Baris rusak", "Malformed row"),
}

_CATALOGUE.update(PLAIN)

#: Every report label by key; read-only.
MESSAGES: Mapping[str, Text] = MappingProxyType(_CATALOGUE)


class Messages:
    """The catalogue in one language: ``m.summary``, ``m["summary"]``, ``m.format("ci", level=…)``.

    An unknown key raises, so a typo in a template fails a test instead of printing nothing.
    """

    def __init__(self, lang: Lang) -> None:
        if lang not in ("id", "en"):
            raise PublicevalError(f"report language must be 'id' or 'en'; found {lang!r}")
        self.lang: Lang = lang

    def __getitem__(self, key: str) -> str:
        try:
            return MESSAGES[key].get(self.lang)
        except KeyError:
            raise KeyError(f"no report label {key!r} in the message catalogue") from None

    def __getattr__(self, key: str) -> str:
        if key.startswith("_"):
            raise AttributeError(key)
        try:
            return self[key]
        except KeyError as exc:
            raise AttributeError(str(exc)) from None

    def format(self, key: str, **values: object) -> str:
        """A label with its ``{placeholders}`` filled; a missing value raises."""
        return self[key].format(**values)

    def get(self, key: str, default: str) -> str:
        """A label, or ``default`` when the catalogue has none (for open sets such as flags)."""
        return MESSAGES[key].get(self.lang) if key in MESSAGES else default


def messages(lang: Lang) -> Messages:
    """The catalogue in ``lang``."""
    return Messages(lang)


def placeholders(text: str) -> set[str]:
    """Names of the ``{placeholders}`` in a label (both languages must use the same ones)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}
