"""Every word the web app shows, in Indonesian and English.

Kept in one table so a translator reads one file; templates ask for a key with ``t("key")``.
Library messages (errors, gate problems) are shown as the library writes them, the same words as
the command line.
"""

from __future__ import annotations

from ..rejects import RejectReason
from ..text import Lang

__all__ = ["FIXES", "REASONS", "TEXTS", "fix_for", "reason_label", "translate"]

TEXTS: dict[str, tuple[str, str]] = {
    "app": ("publiceval: evaluasi layanan publik", "publiceval: public service evaluation"),
    "local": (
        "Aplikasi ini berjalan di komputer Anda; tidak ada data yang dikirim ke mana pun.",
        "This app runs on your computer; no data is sent anywhere.",
    ),
    "switch": ("English", "Bahasa Indonesia"),
    "step-start": ("1. Mulai", "1. Start"),
    "step-review": ("2. Periksa", "2. Review"),
    "step-validate": ("3. Validasi", "3. Validate"),
    "step-report": ("4. Laporan", "4. Report"),
    "start-title": ("Mulai evaluasi baru", "Start a new evaluation"),
    "start-intro": (
        "Unggah ekspor jawaban survei: CSV atau Excel dari Google Formulir, KoboToolbox atau "
        "spreadsheet, satu baris per responden, pertanyaan sebagai judul kolom.",
        "Upload the survey answers' export: CSV or Excel from Google Forms, KoboToolbox or a "
        "spreadsheet, one row per respondent, the questions as column headers.",
    ),
    "file": ("Berkas ekspor", "Export file"),
    "format": ("Jenis berkas", "File type"),
    "format-auto": ("kenali otomatis", "detect"),
    "max-size": ("Ukuran maksimal", "Largest size"),
    "upload": ("Unggah dan baca", "Upload and read"),
    "open-title": ("Buka studi yang ada", "Open an existing study"),
    "open-none": ("Belum ada studi di folder {root}.", "No study in the folder {root} yet."),
    "open-intro": ("Studi di folder {root}:", "Studies in the folder {root}:"),
    "review-title": ("Yang ditemukan dalam ekspor", "What was found in the export"),
    "review-intro": (
        "Periksa setiap keputusan dan perbaiki bila salah, lalu simpan. Hasilnya ditulis ke "
        "study.toml, berkas yang sama yang dipakai publiceval di baris perintah.",
        "Check each decision and correct it if it is wrong, then save. The result is written to "
        "study.toml, the same file publiceval uses on the command line.",
    ),
    "survey": ("Survei", "Survey"),
    "title": ("Judul", "Title"),
    "city": ("Kota/kabupaten", "City or regency"),
    "year": ("Tahun", "Year"),
    "rows": ("baris", "rows"),
    "data-file": ("Berkas data", "Data file"),
    "read-as": ("dibaca sebagai", "read as"),
    "opds": ("OPD (unit layanan)", "OPDs (service units)"),
    "opd-column": ("dari kolom", "from the column"),
    "opd-id": ("id", "id"),
    "opd-name": ("Nama", "Name"),
    "opd-short": ("Singkatan", "Short name"),
    "opd-aliases": ("Penulisan lain di formulir", "Other wordings in the form"),
    "opd-merge": ("Sebenarnya OPD yang sama dengan", "Actually the same OPD as"),
    "opd-merge-no": ("(bukan, OPD tersendiri)", "(no, an OPD of its own)"),
    "questions": ("Pertanyaan dan unsur SKM", "Questions and SKM elements"),
    "column": ("Kolom", "Column"),
    "element": ("Unsur", "Element"),
    "sure": ("Keyakinan", "How sure"),
    "no-element": ("(bukan unsur SKM)", "(not an SKM element)"),
    "high": ("yakin", "sure"),
    "medium": ("cukup yakin", "fairly sure"),
    "low": ("ragu: periksa", "unsure: check"),
    "scales": ("Skala jawaban", "Answer scales"),
    "typo-accept": (
        "Terima: '{answer}' berarti nilai {point}",
        "Accept: '{answer}' means point {point}",
    ),
    "unknown-answers": ("Jawaban tidak dikenal", "Unknown answers"),
    "profile": ("Pertanyaan profil responden", "Respondent profile questions"),
    "none-found": ("tidak ditemukan", "none found"),
    "suggestions": ("Kolom kritik dan saran", "Suggestions column"),
    "timestamp": ("Kolom waktu pengisian", "Timestamp column"),
    "duplicates": ("Kiriman ganda", "Duplicate submissions"),
    "duplicates-policy": (
        "Formulir yang sama untuk OPD yang sama dalam 10 menit dihitung satu kali.",
        "The same answers for the same OPD within 10 minutes count once.",
    ),
    "duplicates-found": ("{n} kiriman ganda ditemukan:", "{n} duplicate submission(s) found:"),
    "checks": ("Perlu diperiksa", "To check"),
    "nothing-to-check": ("Tidak ada yang perlu diperiksa.", "Nothing to check."),
    "method": ("Metode", "Method"),
    "save": ("Simpan perbaikan", "Save corrections"),
    "saved": ("Tersimpan: study.toml ditulis ulang.", "Saved: study.toml was written again."),
    "to-validate": ("Lanjut: validasi data", "Next: validate the data"),
    "existing-intro": (
        "Studi ini tidak dibuat dari unggahan di aplikasi ini: ubah study.toml dengan editor teks "
        "bila perlu, lalu validasi.",
        "This study was not made from an upload in this app: change study.toml in a text editor "
        "if needed, then validate.",
    ),
    "validate-title": ("Validasi data", "Validate the data"),
    "read": ("dibaca", "read"),
    "used": ("dipakai", "used"),
    "rejected": ("ditolak", "rejected"),
    "respondents": ("responden", "respondents"),
    "rows-per-opd": ("Baris per OPD", "Rows per OPD"),
    "problems": ("Masalah yang ditemukan", "Problems found"),
    "no-problems": ("Tidak ada baris yang ditolak.", "No row was rejected."),
    "kept": (
        "baris tetap dipakai; hanya jawaban ini yang diabaikan",
        "row used; only this answer left out",
    ),
    "row": ("baris", "row"),
    "fix": ("Cara memperbaiki", "How to fix"),
    "more": ("dan {n} lainnya", "and {n} more"),
    "skipped": ("Jawaban dihitung tidak dijawab", "Answers counted as unanswered"),
    "warnings": ("Peringatan", "Warnings"),
    "gates": ("Gerbang mutu", "Quality gates"),
    "gates-ok": (
        "Lolos: cukup baris yang sah dan setiap OPD punya data.",
        "Passed: enough usable rows and every OPD has data.",
    ),
    "gates-failed": (
        "Evaluasi dihentikan: hasilnya akan menyesatkan bila diterbitkan seperti ini.",
        "The evaluation stops: published like this the result would mislead.",
    ),
    "gate-fix": (
        "Periksa alasan penolakan di atas dan perbaiki data atau studi (mis. tambahkan penulisan "
        "nama OPD dari data sebagai alias di langkah Periksa), lalu validasi lagi.",
        "Look at the reasons for rejection above and fix the data or the study (e.g. add the "
        "data's wording of an OPD name as an alias in the Review step), then validate again.",
    ),
    "back-review": ("Kembali ke pemeriksaan", "Back to the review"),
    "evaluate": ("Evaluasi dan buat laporan", "Evaluate and make the report"),
    "report-title": ("Laporan", "Report"),
    "not-evaluated": (
        "Belum dievaluasi (atau study.toml berubah sejak evaluasi terakhir).",
        "Not evaluated yet (or study.toml changed since the last evaluation).",
    ),
    "preview": ("Pratinjau laporan", "Report preview"),
    "downloads": ("Unduh", "Download"),
    "report-id": ("Laporan bahasa Indonesia", "Report in Indonesian"),
    "report-en": ("Laporan bahasa Inggris", "Report in English"),
    "pdf-missing": (
        "PDF tidak tersedia: pasang 'publiceval[pdf]' (WeasyPrint dan Pango).",
        "PDF is not available: install 'publiceval[pdf]' (WeasyPrint and Pango).",
    ),
    "study-file": ("Berkas studi", "Study file"),
    "study-zip": (
        "study.toml dan data (zip): hasil yang sama dengan 'publiceval evaluate study.toml'",
        "study.toml and the data (zip): the same result with 'publiceval evaluate study.toml'",
    ),
    "open-new-tab": ("Buka laporan di tab baru", "Open the report in a new tab"),
    "keep-title": ("Simpan untuk semester depan", "Keep for next semester"),
    "keep-json": (
        "Unduh JSON evaluasi ini dan simpan baik-baik: semester depan, unggah berkas ini di langkah "
        "Bandingkan untuk melihat perubahan setiap OPD.",
        "Download this evaluation's JSON and keep it: next semester, upload it in the Compare step "
        "to see how each OPD changed.",
    ),
    "evaluation-json": ("JSON evaluasi", "Evaluation JSON"),
    "to-compare": ("Bandingkan dengan periode sebelumnya", "Compare with an earlier period"),
    "step-compare": ("5. Bandingkan", "5. Compare"),
    "compare-title": ("Bandingkan dengan periode sebelumnya", "Compare with an earlier period"),
    "compare-intro": (
        "Unggah periode sebelumnya: JSON evaluasi yang Anda unduh dari langkah Laporan semester "
        "lalu, atau ekspor CSV/Excel semester lalu (dibaca dengan studi ini, jadi kuesionernya "
        "sama). Perubahan setiap OPD ditampilkan dengan rentang keyakinannya.",
        "Upload the earlier period: the evaluation JSON you downloaded from the Report step last "
        "semester, or last semester's CSV/Excel export (read with this study, so the "
        "questionnaire is the same). Each OPD's change is shown with its interval.",
    ),
    "compare-evaluate-first": (
        "Evaluasi periode ini dulu (langkah Laporan), lalu kembali ke sini.",
        "Evaluate this period first (the Report step), then come back here.",
    ),
    "compare-upload-title": ("Periode sebelumnya", "The earlier period"),
    "compare-upload-again": (
        "Unggah periode sebelumnya yang lain",
        "Upload another earlier period",
    ),
    "compare-file": (
        "JSON evaluasi atau ekspor (CSV/Excel) periode sebelumnya",
        "Evaluation JSON or export (CSV/Excel) of the earlier period",
    ),
    "compare-label-before": ("Nama periode sebelumnya", "Name of the earlier period"),
    "compare-label-after": ("Nama periode ini", "Name of this period"),
    "compare-label-hint": (
        'Mis. "Semester I 2025"; dipakai di tabel dan unduhan.',
        'E.g. "Semester I 2025"; used in the tables and downloads.',
    ),
    "compare-before-default": ("Periode sebelumnya", "Earlier period"),
    "compare-after-default": ("Periode ini", "This period"),
    "compare-button": ("Unggah dan bandingkan", "Upload and compare"),
    "compare-result": ("Perubahan per OPD", "Change per OPD"),
    "compare-from": (
        "Periode sebelumnya dari berkas {file}.",
        "The earlier period from the file {file}.",
    ),
    "compare-change": ("Perubahan", "Change"),
    "compare-verdict": ("Kesimpulan", "Verdict"),
    "compare-category": ("Kategori", "Category"),
    "compare-appeared": ("Baru pada periode ini", "New in this period"),
    "compare-disappeared": ("Tidak ada lagi pada periode ini", "No longer in this period"),
    "compare-note": (
        '"Dalam batas kebetulan" berarti perubahan itu bisa saja hanya karena responden yang '
        "berbeda; rinciannya ada di laporan perbandingan di bawah.",
        '"Within chance" means the change may be only because other people answered; the '
        "details are in the comparison report below.",
    ),
    "compare-preview": ("Laporan perbandingan", "The comparison report"),
    "compare-id": ("Perbandingan bahasa Indonesia", "Comparison in Indonesian"),
    "compare-en": ("Perbandingan bahasa Inggris", "Comparison in English"),
    "compare-json": (
        "JSON perbandingan (untuk skrip dan arsip)",
        "Comparison JSON (for scripts and the archive)",
    ),
    "compare-not-evaluation": (
        "Berkas JSON ini bukan evaluasi publiceval. Yang diharapkan: JSON evaluasi yang diunduh "
        "dari langkah Laporan (mis. ...-evaluation.json atau report.id.json), atau ekspor CSV/Excel "
        "periode sebelumnya.",
        "This JSON file is not a publiceval evaluation. Expected: the evaluation JSON downloaded "
        "from the Report step (e.g. ...-evaluation.json or report.en.json), or the earlier "
        "period's CSV/Excel export.",
    ),
    "compare-not-export": (
        "Berkas ini tidak bisa dibaca sebagai ekspor periode sebelumnya dengan studi ini. Yang "
        "diharapkan: ekspor CSV/Excel dari formulir yang sama (kolom yang sama), atau JSON "
        "evaluasi dari langkah Laporan. Pesan publiceval:",
        "This file cannot be read as the earlier period's export with this study. Expected: a "
        "CSV/Excel export of the same form (the same columns), or the evaluation JSON from the "
        "Report step. publiceval says:",
    ),
    "compare-gates": (
        "Periode sebelumnya tidak lolos gerbang mutu: perbandingan dengannya akan menyesatkan. "
        "Pesan publiceval:",
        "The earlier period does not pass the quality gates: a comparison with it would mislead. "
        "publiceval says:",
    ),
    "compare-refused": (
        "Kedua periode tidak bisa dibandingkan: kuesionernya (instrumen) berbeda. Pesan "
        "publiceval:",
        "The two periods cannot be compared: their questionnaires (instruments) differ. "
        "publiceval says:",
    ),
    "compare-same-labels": (
        "Beri kedua periode nama yang berbeda.",
        "Give the two periods different names.",
    ),
    "compare-export-unsupported": (
        "Studi ini tidak membaca satu berkas ekspor (mis. punya [[periods]]): unggah JSON "
        "evaluasi periode sebelumnya, atau pakai 'publiceval compare' di baris perintah.",
        "This study does not read one export file (e.g. it has [[periods]]): upload the earlier "
        "period's evaluation JSON, or use 'publiceval compare' on the command line.",
    ),
    "error-title": ("Tidak bisa dilanjutkan", "Cannot go on"),
    "error-back": ("Kembali ke awal", "Back to the start"),
    "too-large": (
        "Berkas terlalu besar: batasnya {limit}. Pisahkan ekspor atau jalankan 'publiceval serve "
        "--max-upload-mb N'.",
        "The file is too large: the limit is {limit}. Split the export or run 'publiceval serve "
        "--max-upload-mb N'.",
    ),
    "upload-failed": (
        "Berkas ini tidak bisa dibaca sebagai ekspor survei. Pesan publiceval:",
        "This file cannot be read as a survey export. publiceval says:",
    ),
    "not-saved": (
        "Perbaikan tidak disimpan; study.toml tidak berubah. Pesan publiceval:",
        "The correction was not saved; study.toml is unchanged. publiceval says:",
    ),
    "no-file": ("Pilih berkas ekspor terlebih dahulu.", "Choose an export file first."),
    "csrf": (
        "Formulir ini kedaluwarsa atau tidak berasal dari aplikasi ini. Muat ulang halaman dan "
        "coba lagi.",
        "This form expired or did not come from this app. Reload the page and try again.",
    ),
    "bad-request": (
        "Permintaan ini tidak bisa diproses. Kembali ke awal dan coba lagi.",
        "This request cannot be handled. Go back to the start and try again.",
    ),
    "not-found": ("Halaman tidak ditemukan.", "Page not found."),
    "internal": (
        "Terjadi kesalahan internal; pesan lengkap ada di terminal tempat 'publiceval serve' berjalan.",
        "An internal error happened; the full message is in the terminal running 'publiceval serve'.",
    ),
}

#: What to do about each kind of rejected row (keyed by the reason code).
FIXES: dict[str, tuple[str, str]] = {
    RejectReason.UNKNOWN_OPD.value: (
        "Nama OPD di data tidak dikenal: tambahkan penulisan itu sebagai alias OPD yang benar, atau "
        "tambahkan OPD-nya ke studi.",
        "The data names an OPD the study does not know: add that wording as an alias of the right "
        "OPD, or add the OPD to the study.",
    ),
    RejectReason.MISSING_OPD.value: (
        "Baris tanpa OPD: isi kolom OPD di ekspor atau buang baris itu.",
        "Rows without an OPD: fill in the OPD column in the export or drop those rows.",
    ),
    RejectReason.UNKNOWN_LABEL.value: (
        "Jawaban yang bukan kata skala: terima salah ketiknya di langkah Periksa, atau perbaiki di "
        "ekspor.",
        "Answers that are not scale words: accept the typo in the Review step, or fix the export.",
    ),
    RejectReason.OUT_OF_RANGE.value: (
        "Nilai di luar skala: periksa skala pertanyaan itu atau perbaiki selnya.",
        "Values outside the scale: check that question's scale or fix the cells.",
    ),
    RejectReason.NOT_INTEGER.value: (
        "Nilai bukan bilangan bulat: perbaiki selnya di ekspor.",
        "Values that are not whole numbers: fix the cells in the export.",
    ),
    RejectReason.NO_ANSWERS.value: (
        "Baris tanpa jawaban: biasanya formulir kosong; tidak perlu tindakan.",
        "Rows with no answer: usually empty forms; nothing to do.",
    ),
    RejectReason.MISSING_REQUIRED.value: (
        "Pertanyaan wajib tidak dijawab: periksa apakah kolomnya benar.",
        "A required question was not answered: check that the column is the right one.",
    ),
    RejectReason.DUPLICATE.value: (
        "Responden yang sama dua kali: periksa kolom responden (e-mail/nomor).",
        "The same respondent twice: check the respondent column (e-mail or id).",
    ),
    RejectReason.DUPLICATE_SUBMISSION.value: (
        "Formulir terkirim dua kali: salinan pertama dipakai; tidak perlu tindakan.",
        "A form sent twice: the first copy is used; nothing to do.",
    ),
    RejectReason.MALFORMED_ROW.value: (
        "Baris rusak (jumlah kolom salah): buka ekspor di spreadsheet dan simpan ulang sebagai CSV.",
        "Broken rows (wrong number of columns): open the export in a spreadsheet and save it as "
        "CSV again.",
    ),
}
#: A kind of problem in a few words (the code, which scripts use, is shown beside it).
REASONS: dict[str, tuple[str, str]] = {
    RejectReason.UNKNOWN_OPD.value: ("Nama OPD tidak dikenal", "Unknown OPD name"),
    RejectReason.MISSING_OPD.value: ("Tanpa OPD", "No OPD"),
    RejectReason.MISSING_RESPONDENT.value: ("Tanpa responden", "No respondent"),
    RejectReason.UNKNOWN_ITEM.value: ("Pertanyaan tidak dikenal", "Unknown question"),
    RejectReason.UNKNOWN_LABEL.value: ("Jawaban bukan kata skala", "Answer not on the scale"),
    RejectReason.NOT_INTEGER.value: ("Bukan bilangan bulat", "Not a whole number"),
    RejectReason.OUT_OF_RANGE.value: ("Di luar skala", "Outside the scale"),
    RejectReason.BAD_WEIGHT.value: ("Bobot tidak sah", "Invalid weight"),
    RejectReason.NO_ANSWERS.value: ("Tanpa jawaban", "No answers"),
    RejectReason.MISSING_REQUIRED.value: ("Pertanyaan wajib kosong", "Required question empty"),
    RejectReason.DUPLICATE.value: ("Responden ganda", "Same respondent twice"),
    RejectReason.CONFLICTING_ANSWER.value: ("Jawaban bertentangan", "Conflicting answers"),
    RejectReason.MALFORMED_ROW.value: ("Baris rusak", "Broken row"),
    RejectReason.DUPLICATE_SUBMISSION.value: ("Kiriman ganda", "Sent twice"),
}
_DEFAULT_FIX = (
    "Lihat contoh baris di atas dan perbaiki data atau study.toml.",
    "Look at the example rows above and fix the data or study.toml.",
)


def translate(key: str, lang: Lang, **values: object) -> str:
    """The text ``key`` in ``lang``, with ``{name}`` fields filled in."""
    id_, en = TEXTS[key]
    text = en if lang == "en" else id_
    return text.format(**values) if values else text


def reason_label(reason: str, lang: Lang) -> str:
    """A kind of rejected row in a few words (the code itself when it has no label)."""
    id_, en = REASONS.get(reason, (reason, reason))
    return en if lang == "en" else id_


def fix_for(reason: str, lang: Lang) -> str:
    """The suggested fix for a kind of rejected row."""
    id_, en = FIXES.get(reason, _DEFAULT_FIX)
    return en if lang == "en" else id_
