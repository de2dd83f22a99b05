"""Read a source file into text: .txt/.md (UTF-8, UTF-8 BOM, GBK, GB18030), .docx, .pdf, .html."""

from __future__ import annotations

from pathlib import Path

from .errors import CorpusError

TEXT_SUFFIXES = {".txt", ".md", ".text"}
SUPPORTED = TEXT_SUFFIXES | {".docx", ".pdf", ".html", ".htm"}


def decode(data: bytes, *, name: str = "<bytes>") -> str:
    """Decode UTF-8 (with or without BOM), else GB18030 (a superset of GBK)."""
    if b"\x00" in data[:4096]:
        raise CorpusError(f"{name}: 看起来是二进制文件，不是文本。 Looks binary, not text: convert it to .txt/.docx/.pdf.")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _looks_garbled(text):
            break
        return text
    raise CorpusError(
        f"{name}: 无法识别文件编码（支持 UTF-8、GBK、GB18030）。请另存为 UTF-8 后重试。"
        f" Undetectable encoding (UTF-8, GBK and GB18030 are supported): save the file as UTF-8."
    )


def _looks_garbled(text: str) -> bool:
    """GB18030 decodes many byte strings; reject ones with mostly rare/private characters."""
    if not text:
        return False
    common = sum(1 for ch in text if ch.isascii() or "\u4e00" <= ch <= "\u9fff" or ch in "，。、；：（）《》“”")
    return common / len(text) < 0.8


def read_source(path: Path) -> str:
    """The text of a source file, by its suffix."""
    path = Path(path)
    if not path.exists():
        raise CorpusError(f"找不到文件 {path}。 File not found: {path}; check the manifest's `source`.")
    suffix = path.suffix.lower()
    if suffix in TEXT_SUFFIXES:
        return decode(path.read_bytes(), name=path.name)
    if suffix == ".docx":
        return _read_docx(path)
    if suffix == ".pdf":
        return _read_pdf(path)
    if suffix in {".html", ".htm"}:
        return _read_html(path)
    raise CorpusError(
        f"{path.name}: 不支持的文件类型 '{suffix}'（支持 {', '.join(sorted(SUPPORTED))}）。"
        f" Unsupported file type '{suffix}'; supported: {', '.join(sorted(SUPPORTED))}."
    )


def _read_docx(path: Path) -> str:
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises several types for broken files
        raise CorpusError(f"{path.name}: 无法读取 .docx ({exc})。 Cannot read .docx: re-save it in Word/LibreOffice.") from exc
    return "\n".join(p.text for p in document.paragraphs)


def _read_pdf(path: Path) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(str(path))
        text = "\n".join((page.extract_text() or "") for page in reader.pages)
    except Exception as exc:
        raise CorpusError(f"{path.name}: 无法读取 PDF ({exc})。 Cannot read the PDF.") from exc
    if len(text.strip()) < 20:
        raise CorpusError(
            f"{path.name}: PDF 没有文本层（可能是扫描件），需要先做 OCR。"
            f" The PDF has no text layer (a scan?): run OCR first, then add the text."
        )
    return text


def _read_html(path: Path) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(decode(path.read_bytes(), name=path.name), "html.parser")
    for tag in soup(["script", "style", "nav", "header", "footer"]):
        tag.decompose()
    return soup.get_text("\n")
