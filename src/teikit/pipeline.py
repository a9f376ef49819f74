"""The conversion pipeline of a project (its inputs read and checked by teikit.projectinputs):

read source -> segment -> extract metadata -> assign ids -> apply overrides -> cross-check
the split (splitcheck) -> write TEI into a temporary folder -> check nothing was lost ->
swap it into place.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from teikit.convert import check as checkmod
from teikit.convert import archive, dates
from teikit.convert import idmap as idmapmod
from teikit.convert import structure
from teikit.convert import mentions
from teikit.convert import metadata
from teikit.core import facts, rxforms, xmlsafe
from teikit.convert import overrides as overridesmod
from teikit.convert import splitcheck
from teikit.convert.corpusfile import corpus_tree, doc_extent
from teikit.core.errors import CheckError, ConfigError, OutputError
from teikit.convert.model import Compilation
from teikit.convert.readers import compilation as reader
from teikit.convert.readers.profile import ReaderProfile, taxonomy_of
from teikit.convert.registry import Registry, Vocabulary, to_tei_list_org, to_tei_list_person, to_tei_list_place
from teikit.convert.writer import document_tree, serialize
from teikit.corpusdir import Report, write_atomic
from teikit.disk import FolderSink, new_folder
from teikit.project import CONFIG_NAME, IDMAP_NAME, OVERRIDES_NAME, Project  # noqa: F401 (re-exported)
from teikit.project import conversion_inputs, key as key_of
from teikit import doccache, docpool, docrender, namememo
from teikit.projectinputs import build_date, kept_registry, load_config, load_overrides, load_registry, read_source



@dataclass
class BuildResult:
    compilation: Compilation
    files: list[Path] = field(default_factory=list)
    check: checkmod.CheckResult | None = None
    notes: list[str] = field(default_factory=list)
    written: Report | None = None  # how corpus/tei was written (hand edits merged, conflicts)
    data: dict[str, bytes] | None = None  # the files for corpus/tei, when left unwritten (`unwritten`)
    idmap_was: tuple | None = None  # (the id map's bytes or None) before `unwritten` replaced it


# --- converting ---------------------------------------------------------------------------
def convert_text(text: str, source_name: str, config: dict, idmap: dict,
                 ov: overridesmod.Overrides | None = None, registry: Registry | None = None,
                 cache: doccache.DocCache | None = None, names: namememo.NameMemo | None = None,
                 paras: doccache.ParaMemo | None = None, jobs: int = 1,
                 reading: tuple | None = None) -> tuple[Compilation, dict, list[str]]:
    """Read, extract, assign ids, apply the editor's overrides, match the contents.
    `cache`: each document's reading, extraction and tagging kept from the last conversion
    (teikit.doccache: used only under the same key, so the result is the same); `names`: the
    name memo installed on `registry`, which keeps the lookups of the documents reused;
    `paras`: the paragraphs' derived properties kept from the last conversion; `jobs`: the
    processes that refine, extract and tag the documents (teikit.docpool: the same result);
    `reading`: what `begin_reading` gave for these arguments, when the caller has it."""
    ov = ov or overridesmod.Overrides()
    profile, reading = reading or begin_reading(text, source_name, config, ov, paras)
    # the corpus's month names and date orders, and its archive vocabulary
    with dates.conventions(profile.dates), archive.vocabulary(profile.archive):
        docs: list = []
        chapters: list[tuple[str, str]] = []
        year = None
        pool = docpool.Pool(reading.parts, profile, registry, cache, names, _steps(profile, registry), jobs,
                            lambda: splitcheck.entry_dates(reading.comp),
                            len(reading.comp.toc) * docpool.TOC_ENTRY_CHARS) if jobs > 1 and len(reading.parts) > 1 else None
        for i, part in enumerate(reading.parts):  # one document after the other: each passes on these two only
            made = pool.take(i, chapters, year) if pool is not None else None
            doc, printed = made or _document(part, chapters, year, profile, registry, cache, names)
            docs.append(doc)
            chapters = reader.chapters_after(chapters, printed)
            year = metadata.year_after(doc, year)
        comp = reading.finish(docs)
        new_map, notes = idmapmod.assign_ids(comp.documents, idmap, config["id_prefix"])
        problems = overridesmod.apply(comp, ov, build_date(config), taxonomy_of(config))
        if problems:
            raise ConfigError(problems[0] + ".")
        idmapmod.attach_passages(comp.documents, idmap)
        splitcheck.attach_toc(comp, pool.extra if pool is not None else None)
        metadata.refine_with_toc(comp)
        splitcheck.find_reprints(comp)
    return comp, new_map, notes


def begin_reading(text: str, source_name: str, config: dict, ov: overridesmod.Overrides,
                  paras: doccache.ParaMemo | None = None, ahead=None) -> tuple[ReaderProfile, reader.Reading]:
    """(the reader profile, the corpus-wide part of reading: teikit.convert.readers.compilation.begin);
    `ahead`: teikit.docpool.ahead, for part of the headings read in another process (the same result)."""
    profile = ReaderProfile.from_dict(config.get("reader"))
    return profile, reader.begin(text, source_name, profile, split_at=ov.split_at, merge_at=ov.merge_at,
                                 prepare=paras.prepare if paras is not None else None, ahead=ahead)


def _document(part, chapters, year, profile: ReaderProfile, registry: Registry | None,
              cache: doccache.DocCache | None, names: namememo.NameMemo | None = None):
    """One document read, refined, extracted (a date line without a year takes `year`) and
    tagged: (document, chapter heads printed in it); from `cache` when it holds this key."""
    key, hit = doccache.lookup(cache, "document", part.key, chapters, year)
    if hit is not None:
        doc, printed, used, lookups = hit
        profile.used.update(used)  # the profile's patterns this document matched
        if names is not None:
            names.keep(lookups)
        cache.made_by(key, doc)
        return doc, printed
    before = dict(profile.used)
    mark = names.mark() if names is not None else 0
    doc, printed = part.make(chapters)
    _steps(profile, registry)(doc, year)
    if key is not None:
        used = {k: n - before.get(k, 0) for k, n in profile.used.items() if n != before.get(k, 0)}
        cache.put(key, (doc, printed, used, names.since(mark) if names is not None else []))
        cache.made_by(key, doc)
    return doc, printed


def _steps(profile: ReaderProfile, registry: Registry | None):
    """steps(doc, year, tag=True): a document as read, refined, extracted (a date line without
    a year takes `year`) and, with `tag`, its names tagged."""
    def steps(doc, year, tag: bool = True) -> None:
        structure.refine(doc, registry.vocab if registry is not None else Vocabulary())
        metadata.extract(doc, default_year=year, registry=registry, marks=profile.classification)
        if tag and registry is not None:
            mentions.tag_document(doc, registry)

    return steps


RNG_HREF = "../../schema/teikit.rng"  # the schemas a file of corpus/tei names
SCH_HREF = "../../schema/teikit.sch"


def render(comp: Compilation, config: dict, date: str, progress=None,
           registry: Registry | None = None, cache: doccache.DocCache | None = None,
           done: list[docrender.Rendered] | None = None, files: dict[str, docrender.Rendered] | None = None,
           ) -> dict[str, tuple[bytes, etree._Element | None, int, int]]:
    """File name -> (bytes, tree, first line, last line), in source order. A file's tree is
    None where its bytes came from `cache` (teikit.doccache), from `done` (each document's
    TEI as workers wrote it, teikit.docrender.render_documents) or from `files` (other
    files a worker wrote: docrender.corpus_files)."""
    rng_href, sch_href = RNG_HREF, SCH_HREF
    out: dict[str, tuple[bytes, etree._Element | None, int, int]] = {}
    prefix = config["id_prefix"]
    front_id, back_id = f"{prefix}-front", f"{prefix}-back"
    if comp.front:
        first, last = comp.front[0].lines[0], comp.front[-1].lines[1]
        out[f"{front_id}.xml"] = docrender.matter(files, cache, comp, config, date, front_id, "front",
                                                  (1, max(last, first)), (rng_href, sch_href))
    per_doc = []  # each document's (extent, keys of the person names printed), for corpus.xml and persons.xml
    for k, doc in enumerate(comp.documents, 1):
        made = done[k - 1] if done is not None else None
        if made is not None:  # written by a worker: as below, without a hit
            doc.passage_ids = made.passage_ids  # the passage ids the writer gave out (for the id map)
            out[f"{doc.doc_id}.xml"] = (made.data, None, doc.start_line, doc.end_line)
            if cache is not None and made.key is not None:
                cache.used[made.key] = made.value
            if cache is not None and made.facts_key is not None:
                cache.used[made.facts_key] = made.facts_value  # (what _facts keeps, made there)
            per_doc.append(made.facts)
            if progress:
                progress(k, len(comp.documents))
            continue
        key, hit = doccache.lookup_render(cache, doc, date)
        if hit is not None:
            data, doc.passage_ids = hit  # the passage ids the writer gave out (for the id map)
            out[f"{doc.doc_id}.xml"] = (data, None, doc.start_line, doc.end_line)
        else:
            tree = document_tree(doc, config, date)
            data = serialize(tree, rng_href, sch_href)
            out[f"{doc.doc_id}.xml"] = (data, tree, doc.start_line, doc.end_line)
            if key is not None:
                cache.put(key, (data, doc.passage_ids))
        per_doc.append(_facts(cache, key, doc))
        if progress:
            progress(k, len(comp.documents))
    if comp.back:
        out[f"{back_id}.xml"] = docrender.matter(files, cache, comp, config, date, back_id, "back",
                                                 (comp.back[0].lines[0], comp.back[-1].lines[1]), (rng_href, sch_href))
    if registry is not None:
        for name, make in (("persons.xml", to_tei_list_person), ("places.xml", to_tei_list_place),
                           ("orgs.xml", to_tei_list_org)):
            data = docrender.taken(files, cache, name)
            if data is not None:
                out[name] = (data, None, 0, -1)
                continue
            extra = (mentions.printed_persons(comp, [keys for _e, keys in per_doc]),) \
                if make is to_tei_list_person else ()
            # the registry and the configuration are in the cache's base; the rest in the key
            key, hit = doccache.lookup(cache, "registry file", name, rng_href, sch_href,
                                       *(repr(sorted(printed)) for printed in extra))
            if hit is not None:
                out[name] = (hit, None, 0, -1)
                continue
            tree = make(registry, facts.registry_about(config), *extra)
            out[name] = (serialize(tree, rng_href, sch_href), tree, 0, -1)
            if key is not None:
                cache.put(key, out[name][0])
    corpus = corpus_tree(comp, config, date, [name for name in out], [extent for extent, _n in per_doc])
    out["corpus.xml"] = (serialize(corpus, rng_href, None), corpus, 0, -1)
    if cache is not None:
        cache.made.clear()  # (the blocks' states noted for render keys: no longer needed)
    return out


def _facts(cache: doccache.DocCache | None, key: str | None, doc) -> tuple:
    """(corpusfile.doc_extent, mentions.printed_in) of a document as written; kept under its
    render key (which tells apart every state of the whole document: all that both read)."""
    fkey = cache.key("facts", key) if cache is not None and key is not None else None
    hit = cache.get(fkey) if fkey is not None else None
    if hit is not None:
        return hit
    made = (doc_extent(doc), mentions.printed_in(doc))
    if fkey is not None:
        cache.put(fkey, made)
    return made


def source_lines(text: str) -> list[str]:
    """The source's lines, as the no-text-lost check numbers them."""
    return text.replace("\r\n", "\n").split("\n")


def nothing_lost(text: str, rendered: dict, cache: doccache.DocCache | None = None,
                 done: dict[str, docrender.Rendered] | None = None,
                 lines: list[str] | None = None) -> checkmod.CheckResult:
    """The no-text-lost check of `rendered` against the source; `done`: files whose check a
    worker made (teikit.docrender.render_documents: the same lines, name and tree); `lines`:
    source_lines(text), when the caller has them."""
    lines = source_lines(text) if lines is None else lines
    parts = [(name, a, b, (data, tree)) for name, (data, tree, a, b) in rendered.items() if b >= a]

    def check_part(lines, name, start, end, held):
        data, tree = held
        made = done.get(name) if done is not None else None
        if made is not None and made.check is not None:
            if cache is not None and made.check_key is not None:
                cache.used[made.check_key] = made.check_value
            return made.check
        key = None
        if cache is not None:
            key = docrender.check_key_of(cache, lines, name, start, end, data)
            hit = cache.get(key)
            if hit is not None:
                return hit
        if tree is None:  # bytes from the cache: their tree, as written
            tree = etree.fromstring(data, xmlsafe.make_parser())
        result = checkmod.part_words(lines, name, start, end, tree)
        if key is not None:
            cache.put(key, result)
        return result

    return checkmod.check(lines, parts, check_part)


# --- writing ------------------------------------------------------------------------------
def write_folder(target: Path, files: dict[str, bytes], mode: int | None = None) -> None:
    """Write `files` (relative path -> bytes) into a new folder beside `target`, then swap it
    in (disk.new_folder); `target` is never half-written. `mode`: permissions of the new folder."""
    try:
        with new_folder(target, mode) as tmp:
            sink = FolderSink(tmp, atomic=False)
            for name, data in sorted(files.items()):
                sink.write(name, data)
    except OSError as err:  # a write failed; new_folder has removed the new folder
        raise OutputError(f"Cannot write to {str(target)!r}: {err.strerror}. Choose a writable output folder (-o).") from None


def write_file_atomic(path: Path, data: bytes) -> None:
    write_atomic(path, data)


def raise_if_lost(check: checkmod.CheckResult, source: str) -> None:
    """CheckError naming the source line of the first lost passage, when words were lost."""
    if check.ok:
        return
    first = check.lost[0] if check.lost else None
    where = f"{source}:{first.line}" if first else source
    raise CheckError(
        f"{where}: {len(check.lost)} passage(s) of the source would be lost "
        f"({check.source_words - check.matched_words} words; first: {first.words if first else '-'!r}); "
        f"{'; '.join(check.span_errors[:3])}. Nothing was written; fix the reader profile or report the case."
    )


def convert_project(project: Project, out_dir: Path | None = None, **options) -> BuildResult:
    """_convert_project (its options) with the answers of pure steps and the compiled regular
    expressions of the last conversion into corpus/tei (teikit.doccache.reused: a build
    installs them for its whole length, and then this adds nothing), and the patterns it
    compiles afresh compiled quicker (teikit.core.rxforms.quick_charsets: the same code)."""
    into_corpus = out_dir is None or Path(out_dir).resolve() == project.tei_dir.resolve()
    with doccache.reused(project.state_dir, options.get("later")) if into_corpus else contextlib.nullcontext(), \
            rxforms.quick_charsets():  # (re's code for each pattern compiled meanwhile: the same, made quicker)
        try:
            return _convert_project(project, out_dir, **options)
        except ValueError:  # lxml's refusal of a character XML cannot hold: said as the source's
            from teikit import xmlchars

            xmlchars.refuse_source(project, options.get("source"))
            raise


def _convert_project(project: Project, out_dir: Path | None = None, *, source: Path | None = None,
                     update_idmap: bool = True, progress=None, force: bool = False, validate=None,
                     inputs: dict | None = None, later: list | None = None, jobs: int | None = None,
                     unwritten: bool = False, prepare=None) -> BuildResult:
    """Convert the corpus source into TEI files in `out_dir` (default: corpus/tei).

    Into corpus/tei, files are written by teikit.corpusdir: hand edits are merged, never
    overwritten (unless `force`); `validate(name, bytes)` -> errors checks a merged file.
    Into another folder, the folder is replaced as a whole. `inputs`: the project's
    conversion_inputs, when the caller has them (of the configured source). `later`: a
    list to which the writing of the caches for the next conversion is appended (functions
    of no argument, for the caller to run when it likes), instead of writing them here.
    `jobs`: processes for the per-document steps (None: by the source's size, the CPUs and
    the cache, teikit.docpool.jobs_for); the files written are the same for any number.
    `unwritten`: corpus/tei is left for the caller to write (result.data: name -> bytes, for
    `project.write_generated`; teikit.build writes it beside the site); the id map is written.
    `prepare()`: the caller's work for this process while workers write the TEI (teikit.build:
    the modules its next stages import), its errors ignored; not run when one process writes."""
    config = load_config(project.config_path)
    src = source or project.source_path(config)
    text = read_source(src)
    idmap_text = idmapmod.text_of(project.idmap_path.read_bytes(), project.idmap_path) \
        if project.idmap_path.exists() else None
    stage = (lambda name, total: progress(name, 0, total)) if progress else None
    target = out_dir or project.tei_dir
    into_corpus = Path(target).resolve() == project.tei_dir.resolve()
    memo = cache = paras = None
    kept = key = None
    if into_corpus:  # the registry, the name scan and the documents of the last conversion, reused where the same
        if inputs is None or source is not None:
            inputs = conversion_inputs(project, src)
        kept, key = doccache.registry_path(project.state_dir), key_of(inputs["code"], inputs["registry"], doccache.VERSION)
        cache = doccache.load(doccache.path_of(project.state_dir),
                              key_of(inputs["code"], inputs["config"], inputs["registry"],
                                     inputs["SOURCE_DATE_EPOCH"], doccache.VERSION))
        paras = doccache.load_paras(doccache.paras_path(project.state_dir), key_of(inputs["code"], doccache.VERSION))
    jobs = docpool.jobs_for(jobs, len(text), cache)

    def read():  # the id map, the overrides and the corpus-wide part of reading, in this order
        idmap, ov = idmapmod.load(idmap_text, project.idmap_path), load_overrides(project)
        return idmap, ov, begin_reading(text, src.name, config, ov, paras, docpool.ahead if jobs > 1 else None)

    registry = kept_registry(project, config, kept, key)
    if registry is not None:
        idmap, ov, reading = read()
    else:  # read and checked: beside the reading, when there are CPUs for it
        (registry, forms), (idmap, ov, reading) = docpool.in_order(
            lambda: docpool.registry_ahead(lambda: load_registry(project, config, kept, key)), read, beside=True) \
            if jobs > 1 else ((load_registry(project, config, kept, key), {}), read())
        rxforms.keep(forms)  # the name scanner's compiled form, when the child made it
    if into_corpus:
        memo = namememo.load(namememo.path_of(project.state_dir), registry,
                             key_of(inputs["code"], inputs["registry"], namememo.VERSION)).install()
    done = lines = files = None
    try:
        comp, new_map, notes = convert_text(text, src.name, config, idmap, ov, registry, cache, memo, paras, jobs,
                                            reading)
        date = build_date(config)
        if jobs > 1 and len(comp.documents) > 1:
            lines = source_lines(text)
            done, files = docrender.render_documents(comp, config, date, cache, lines, RNG_HREF, SCH_HREF, jobs,
                                                     registry, prepare)
        rendered = render(comp, config, date, (lambda k, n: progress("convert", k, n)) if progress else None,
                          registry, cache, done, files)
    finally:
        if memo is not None:
            memo.uninstall()
    result = BuildResult(comp, notes=notes)
    if stage:
        stage("check", len(rendered))
    result.check = nothing_lost(text, rendered, cache, {**files, **{f"{doc.doc_id}.xml": made for doc, made in
                                                                    zip(comp.documents, done) if made}}
                                if done else None, lines)
    if progress:
        progress("check", len(rendered), len(rendered))
    raise_if_lost(result.check, str(src))
    saves = []  # what the next conversion may reuse (never an output: skipping one costs time only)
    if memo is not None:
        saves.append(lambda: namememo.save(namememo.path_of(project.state_dir), memo))
    if cache is not None:
        saves.append(lambda: doccache.save(doccache.path_of(project.state_dir), cache))
        saves.append(lambda: doccache.save_paras(doccache.paras_path(project.state_dir), paras))
    if later is None:
        for save in saves:
            save()
    else:
        later.extend(saves)
    files = {name: data for name, (data, *_rest) in rendered.items()}
    if into_corpus and unwritten:
        result.data = files
    elif into_corpus:
        result.written = project.write_generated(files, force=force, validate=validate)
    else:
        write_folder(target, files)
    result.files = [target / name for name in rendered]
    if update_idmap:
        new_map = idmapmod.with_passages(new_map, comp.documents, idmapmod.load(idmap_text, project.idmap_path))
        data = idmapmod.dump(new_map).encode("utf-8")
        old = project.idmap_path.read_bytes() if project.idmap_path.exists() else None
        if old != data:
            if into_corpus and unwritten:  # undone by the caller if writing corpus/tei fails
                result.idmap_was = (old,)
            write_atomic(project.idmap_path, data)
    return result
