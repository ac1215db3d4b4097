"""The catalogue's plain-language part: the summary in words, what each uncertainty concept
means, evidence as sentences, and the sections of an SKM report (PermenPANRB 14/2017).

Merged into :data:`~publiceval._core.report.messages.MESSAGES`; kept apart only for length.
"""

from __future__ import annotations

from ..text import Text


def _t(id_: str, en: str) -> Text:
    return Text(id=id_, en=en)


PLAIN: dict[str, Text] = {
    # the summary in words at the top
    "summary_words": _t("Ringkasan hasil", "Key findings"),
    "sum_respondents": _t(
        "{respondents} responden menilai {opds} OPD pada periode {period}.",
        "{respondents} respondents rated {opds} OPDs in the period {period}.",
    ),
    "sum_respondents_aggregate": _t(
        "{opds} OPD dinilai dari angka yang diterbitkan (tanpa data per responden).",
        "{opds} OPDs are rated from published figures (no data per respondent).",
    ),
    "sum_categories": _t("Menurut kategori: {counts}.", "By category: {counts}."),
    "sum_category_count": _t("{count} OPD {label}", "{count} {label}"),
    "sum_top": _t("Skor tertinggi: {names} ({score}).", "Highest score: {names} ({score})."),
    "sum_bottom": _t("Skor terendah: {names} ({score}).", "Lowest score: {names} ({score})."),
    "sum_top_supported": _t(
        "Data mendukung bahwa {name} termasuk kelompok terbaik: skornya lebih tinggi dari OPD "
        "lain yang tidak sekelompok dengannya.",
        "The data support that {name} is among the best group: its score is higher than "
        "that of the OPDs outside its group.",
    ),
    "sum_top_not_supported": _t(
        "Data tidak mendukung pernyataan bahwa {name} adalah yang terbaik: dengan keyakinan "
        "{level}, peringkatnya bisa berada di mana saja antara {low} dan {high}.",
        "The data do not support calling {name} the best: with {level} confidence the rank "
        "could be anywhere from {low} to {high}.",
    ),
    "list_and": _t("dan", "and"),
    "sum_top_clear": _t(
        "Data mendukung bahwa {name} berada di peringkat pertama (keyakinan {level}).",
        "The data support that {name} ranks first ({level} confidence).",
    ),
    "sum_bottom_not_supported": _t(
        "Data tidak mendukung pernyataan bahwa {name} adalah yang terburuk: dengan keyakinan "
        "{level}, peringkatnya bisa berada di mana saja antara {low} dan {high}.",
        "The data do not support calling {name} the worst: with {level} confidence the rank "
        "could be anywhere from {low} to {high}.",
    ),
    "sum_bottom_clear": _t(
        "Data mendukung bahwa {name} berada di peringkat terakhir (keyakinan {level}).",
        "The data support that {name} ranks last ({level} confidence).",
    ),
    "sum_tiers": _t(
        "Data dapat membedakan {tiers} kelompok OPD; OPD dalam satu kelompok tidak dapat "
        "dibedakan satu sama lain.",
        "The data can tell {tiers} groups of OPDs apart; OPDs in the same group cannot be "
        "told apart.",
    ),
    "sum_survey_wide": _t("{question}: {value} ({category}).", "{question}: {value} ({category})."),
    "sum_recommendations": _t(
        "{count} rekomendasi, {urgent} di antaranya prioritas 1.",
        "{count} recommendations, {urgent} of them priority 1.",
    ),
    "sum_recommendations_plain": _t(
        "{count} rekomendasi (rincian di bawah).", "{count} recommendations (details below)."
    ),
    "generated_on": _t("Dibuat pada {date}", "Generated on {date}"),
    # the uncertainty concepts, each explained once in one sentence where it is used
    "ci_range": _t("Rentang {level}", "{level} range"),
    "explain_ci": _t(
        "Rentang {level}: dengan keyakinan {level}, skor sebenarnya berada dalam rentang ini; "
        "makin sedikit responden, makin lebar rentangnya.",
        "{level} range: with {level} confidence the true score lies in this range; the fewer "
        "the respondents, the wider the range.",
    ),
    "explain_rank_interval": _t(
        "Rentang peringkat: peringkat yang mungkin dimiliki OPD dengan keyakinan {level}, "
        "mengingat ketidakpastian semua skor.",
        "Rank range: the ranks the OPD may hold with {level} confidence, given the uncertainty "
        "of every score.",
    ),
    "explain_probability": _t(
        "Peluang kategori: seberapa mungkin OPD benar-benar berada dalam kategori yang "
        "tertulis, mengingat ketidakpastian skornya.",
        "Category probability: how likely the OPD truly belongs to the category shown, given "
        "the uncertainty of its score.",
    ),
    "explain_tier": _t(
        "Kelompok: OPD dalam kelompok yang sama tidak dapat dibedakan oleh data; kelompok 1 "
        "adalah yang terbaik.",
        "Group: OPDs in the same group cannot be told apart by the data; group 1 is the best.",
    ),
    "rank_range": _t("Rentang peringkat", "Rank range"),
    "group": _t("Kelompok", "Group"),
    "rank_range_of": _t("{low} sampai {high}", "{low} to {high}"),
    "adequate_yes": _t(
        "Jumlah responden memadai ({n}; minimal {required}).",
        "Enough respondents ({n}; at least {required} needed).",
    ),
    "adequate_no": _t(
        "Jumlah responden belum memadai ({n}; minimal {required}); baca skornya dengan hati-hati.",
        "Too few respondents ({n}; at least {required} needed); read the score with care.",
    ),
    "adequate_plain": _t("Jumlah responden: {n}.", "Respondents: {n}."),
    # evidence as sentences
    "ev_sentence": _t("{subject} {verb}.", "{subject} {verb}."),
    "ev_of": _t("{metric} {target}", "{metric} of {target}"),
    "ev_at": _t("{metric} di {target}", "{metric} at {target}"),
    "ev_is": _t("adalah {value}", "is {value}"),
    "ev.<": _t("adalah {value}, di bawah {threshold}", "is {value}, below {threshold}"),
    "ev.<=": _t("adalah {value}, paling tinggi {threshold}", "is {value}, at most {threshold}"),
    "ev.>": _t("adalah {value}, di atas {threshold}", "is {value}, above {threshold}"),
    "ev.>=": _t("adalah {value}, paling sedikit {threshold}", "is {value}, at least {threshold}"),
    "ev.=": _t("adalah {value}", "is {value}"),
    "ev.==": _t("adalah {value}", "is {value}"),
    "ev.!=": _t("adalah {value}, bukan {threshold}", "is {value}, not {threshold}"),
    "ev.one of": _t(
        "adalah {value}, salah satu dari {threshold}", "is {value}, one of {threshold}"
    ),
    "ev.at or below": _t(
        "adalah {value}, setara atau di bawah {threshold}",
        "is {value}, the same as or below {threshold}",
    ),
    "ev.at or above": _t(
        "adalah {value}, setara atau di atas {threshold}",
        "is {value}, the same as or above {threshold}",
    ),
    "ev.has any of": _t("mencakup {threshold}", "include {threshold}"),
    "ev.has all of": _t("mencakup semua dari {threshold}", "include all of {threshold}"),
    "ev.has none of": _t("tidak mencakup {threshold}", "include none of {threshold}"),
    "ev_lowest_items": _t(
        "termasuk {k} unsur terendah dari {total}", "among the {k} lowest of {total} elements"
    ),
    "ev_lowest_opds": _t(
        "termasuk {k} OPD terendah dari {total}", "among the {k} lowest of {total}"
    ),
    "ev_best_opds": _t("termasuk {k} OPD terbaik dari {total}", "among the {k} best of {total}"),
    "ev_opds_meeting": _t(
        "Jumlah OPD yang memenuhi syarat", "Number of OPDs meeting the conditions"
    ),
    "ev_these_opds": _t("yaitu {names}", "namely {names}"),
    "metric.item score": _t("Skor unsur {item}", "Score of {item}"),
    "metric.survey-wide item": _t(
        "Hasil pertanyaan \u201c{item}\u201d", "Result of \u201c{item}\u201d"
    ),
    "metric.importance": _t("Kepentingan {item}", "Importance of {item}"),
    "metric.performance": _t("Kinerja {item}", "Performance of {item}"),
    "metric.IPA quadrant": _t("Kuadran IPA {item}", "IPA quadrant of {item}"),
    "metric.category probability": _t("peluang kategori", "category probability"),
    "metric.tags": _t("Jenis layanan", "The kinds of service"),
    "metric.opd": _t("OPD", "OPD"),
    # the SKM sections (PermenPANRB 14/2017)
    "profile": _t("Profil responden", "Respondent profile"),
    "profile_intro": _t(
        "Siapa yang menjawab survei, dihitung dari baris yang dipakai.",
        "Who answered the survey, counted over the rows used.",
    ),
    "profile_other": _t("{label} (lainnya)", "{label} (other)"),
    "profile_missing": _t("Tidak menjawab", "No answer"),
    "share": _t("Persentase", "Share"),
    "skm_table": _t(
        "Nilai per unsur, IKM dan mutu pelayanan", "Element scores, IKM and service quality"
    ),
    "skm_table_intro": _t(
        "NRR: nilai rata-rata jawaban tiap unsur (1–4). IKM: indeks kepuasan masyarakat (25–100), "
        "rata-rata NRR tertimbang dikali 25. Mutu pelayanan: A Sangat Baik, B Baik, C Kurang "
        "Baik, D Tidak Baik.",
        "NRR: the mean answer per element (1–4). IKM: the community satisfaction index "
        "(25–100), the weighted mean of the NRRs times 25. Service quality: A very good, "
        "B good, C fair, D poor.",
    ),
    "nrr": _t("NRR", "NRR"),
    "ikm": _t("IKM", "IKM"),
    "quality_grade": _t("Mutu pelayanan", "Service quality"),
    "weakest_elements": _t("Unsur terlemah per unit", "Weakest elements per unit"),
    "weakest_elements_intro": _t(
        "Tiga unsur dengan NRR terendah di tiap unit: prioritas perbaikan.",
        "The three elements with the lowest NRR in each unit: the priorities for improvement.",
    ),
    "followup": _t("Rencana tindak lanjut", "Follow-up plan"),
    "followup_intro": _t(
        "Disusun dari rekomendasi (lihat di bawah); kolom program, waktu dan penanggung jawab "
        "diisi oleh unit (lembar kerja XLSX menyediakan kolom isian).",
        "Drawn from the recommendations (see below); the programme, time and responsible "
        "columns are filled in by each unit (the XLSX workbook has the columns to fill in).",
    ),
    "priority_element": _t("Unsur prioritas", "Priority element"),
    "programme": _t("Program / kegiatan", "Programme or action"),
    "timeframe": _t("Waktu", "Time frame"),
    "responsible": _t("Penanggung jawab", "Responsible"),
    "suggestions": _t("Kritik dan saran", "Criticism and suggestions"),
    "suggestions_intro": _t(
        "Tulisan warga apa adanya, dikelompokkan menurut unsur yang disebut (berdasarkan "
        "daftar kata kunci, bukan penilaian manusia).",
        "What citizens wrote, as written, grouped by the element they mention (found with a "
        "keyword list, not read by a person).",
    ),
    "suggestions_count": _t("{count} saran", "{count} suggestions"),
    "suggestions_other": _t("Lainnya", "Other"),
    "suggestions_truncated": _t(
        "Hanya sebagian saran yang disimpan dalam hasil evaluasi.",
        "Only part of the suggestions are kept in the evaluation.",
    ),
    "report_card": _t("Rapor unit", "Unit report card"),
    "card_weakest": _t("Unsur terlemah", "Weakest elements"),
    # score units as methods name them (by their first word; others are shown as they are)
    "unit.mean": _t("rata-rata jawaban", "mean answer"),
    "unit.conformity": _t("kesesuaian %", "conformity %"),
    "unit.gap": _t("selisih", "gap"),
    # confidence-range methods as the statistics name them (unknown ones are shown as named)
    "ci_method.t (linearised)": _t("distribusi t (linearisasi)", "t distribution (linearised)"),
    "ci_method.t": _t("distribusi t", "t distribution"),
    "ci_method.normal": _t("pendekatan normal", "normal approximation"),
    "ci_method.logit": _t("transformasi logit", "logit transformation"),
    "ci_method.design": _t(
        "{method}, disesuaikan dengan desain sampel", "{method}, adjusted for the sampling design"
    ),
    # warning codes not named in the main catalogue (a test checks every code has a label)
    "warning.uncertainty_unavailable": _t(
        "Ketidakpastian tidak dapat dihitung", "Uncertainty cannot be computed"
    ),
    "warning.small_area_unavailable": _t(
        "Estimasi area kecil tidak tersedia", "Small-area estimate unavailable"
    ),
    "warning.reliability_unavailable": _t(
        "Reliabilitas tidak dapat dihitung", "Reliability cannot be computed"
    ),
    "warning.reader": _t("Catatan pembacaan data", "Note on reading the data"),
    "warning.data_note": _t("Catatan tentang data", "Note on the data"),
    "warning.ranking_not_supported": _t(
        "Peringkat tidak didukung data", "Ranking not supported by the data"
    ),
    "warning.no_category": _t("Tanpa kategori", "No category"),
    "warning.lonely_psu": _t("Klaster tunggal dalam strata", "Single cluster in a stratum"),
    "warning.ikm_missing_element": _t("Unsur IKM tidak lengkap", "IKM element missing"),
    "warning.ikm_items_ignored": _t(
        "Pertanyaan tidak dipakai untuk IKM", "Questions left out of the IKM"
    ),
    "warning.duplicate_submissions_kept": _t(
        "Kiriman ganda dipertahankan", "Duplicate submissions kept"
    ),
    "warning.answers_skipped": _t("Jawaban dilewati", "Answers skipped"),
    "shared_rank": _t("Peringkat bersama", "Shared rank"),
    # spreadsheet sheets (at most 31 characters)
    "sheet_profile": _t("Profil responden", "Respondent profile"),
    "sheet_skm": _t("NRR dan IKM", "NRR and IKM"),
    "sheet_followup": _t("Rencana tindak lanjut", "Follow-up plan"),
    "sheet_suggestions": _t("Kritik dan saran", "Suggestions"),
    # the infographic
    "infographic_opds": _t("OPD dinilai", "OPDs rated"),
    "infographic_respondents": _t("responden", "respondents"),
    "more_in_report": _t("Rincian lengkap ada dalam laporan.", "Full details are in the report."),
}
