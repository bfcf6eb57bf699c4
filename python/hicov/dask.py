"""hicov.dask: reading claims on a dask.distributed cluster.

    >>> from distributed import Client
    >>> import hicov.dask
    >>> client = Client("tcp://scheduler:8786")
    >>> claims = hicov.dask.read_claims(["/data/claims/2023", "/data/claims/2024"],
    ...                                 client=client)

The result is a hicov.Claims equal to what hicov.read_claims(paths,
threads=1) gives in one process: the same counts, totals, cells, distinct
patients and messages, in the same order.  This module only orchestrates;
every number is computed by the C core:

 1. one task lists the files (folders searched recursively in name order,
    hidden names skipped, exactly as the core does), so the driver needs no
    access to the storage;
 2. the files are cut, in that order, into batches of consecutive files (a
    file is never split between tasks); each batch is one task calling
    hicov.read_claims(batch, threads=threads_per_task), whose Claims comes
    back pickled through the core's serialiser;
 3. neighbouring partial results are merged, a few at a time (fan_in),
    level by level, on the workers (Claims.merge, exact integer sums), so
    the driver only ever receives the final accumulator.

Duplicates (the same MA_LK at the same facility) in two batches cannot be
taken out of merged sums: the core only keeps their 64-bit keys and reports
them as counts.merge_conflicts.  A merge step that finds any instead reads
the files of its later parts again on top of its first part, whose
duplicate table then rejects them exactly as a single reader would.  That
costs a re-read of those files in one task; keeping a facility's files
(and their resubmissions) next to each other in name order keeps it rare.

dask and distributed are imported only when a function here is called, so
`import hicov` does not need them.
"""

import math
import os
import stat

import hicov

__all__ = ["list_claim_files", "read_claims"]

# The core refuses folders nested deeper than this (claims-files.c,
# claims_expand).
_MAX_DEPTH = 32


def _expand(path, depth, out, seen):
    """Appends (path, size) for path, searched like the core's expand():
    stat() follows links, each folder entered once (by device and inode: a
    link back up or a second link to a folder is skipped), folder entries
    sorted by their bytes (strcmp), names starting with '.' skipped,
    children joined with '/'."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise hicov.FileError(f"{os.fsdecode(path)}: {e.strerror}") from None
    if stat.S_ISDIR(st.st_mode):
        if (st.st_dev, st.st_ino) in seen:
            return
        seen.add((st.st_dev, st.st_ino))
    if not stat.S_ISDIR(st.st_mode):
        out.append((os.fsdecode(path), st.st_size))
        return
    if depth > _MAX_DEPTH:
        raise hicov.LimitError(f"{os.fsdecode(path)}: folders nested too deep")
    try:
        names = os.listdir(os.fsencode(path))
    except OSError as e:
        raise hicov.FileError(f"{os.fsdecode(path)}: {e.strerror}") from None
    for name in sorted(n for n in names if not n.startswith(b".")):
        _expand(os.fsencode(path) + b"/" + name, depth + 1, out, seen)


def list_claim_files(paths):
    """The files hicov.read_claims(paths) reads, in its order, as a list of
    (path, size in bytes).  A path that does not exist raises
    hicov.FileError."""
    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    out, seen = [], set()
    for p in paths:
        if not isinstance(p, (str, bytes)) and not hasattr(p, "__fspath__"):
            raise TypeError("paths must be a path (str, bytes, os.PathLike) "
                            f"or a list of paths, not {type(p).__name__}")
        _expand(os.fspath(p), 0, out, seen)
    return out


def _batches(files, task_bytes, files_per_task):
    """Consecutive files cut into batches of at most task_bytes (a larger
    file is a batch of its own) and at most files_per_task files."""
    batches, cur, size = [], [], 0
    for path, n in files:
        if cur and (size + n > task_bytes
                    or (files_per_task and len(cur) >= files_per_task)):
            batches.append(cur)
            cur, size = [], 0
        cur.append(path)
        size += n
    if cur:
        batches.append(cur)
    return batches


def _check_all_read(claims, paths, before=0):
    """The core reads nothing, silently, when a path vanished between the
    listing and the read (its folder expansion fails first): refuse that
    rather than return partial sums."""
    if claims.counts.files_read - before != len(paths):
        missing = [p for p in paths if not os.path.exists(p)]
        raise hicov.FileError(
            f"{', '.join(missing) or paths[0]}: not read by the task "
            f"({claims.counts.files_read - before} of {len(paths)} files "
            "read); are the files on storage every worker sees at the same "
            "path?")


def _read_batch(paths, threads, max_messages, lang=None):
    """Task: one batch of files into one accumulator."""
    # a failed file is counted here, and raised by read_claims at the end
    claims = hicov.read_claims(paths, threads=threads,
                               max_messages=max_messages, errors="collect",
                               lang=lang)
    _check_all_read(claims, paths)
    return claims


def _empty(max_messages, lang=None):
    """An empty accumulator keeping max_messages messages, speaking lang."""
    return hicov.read_claims([], threads=1, max_messages=max_messages,
                             lang=lang)


def _merge_group(parts, later_paths, threads, max_messages, lang=None):
    """Task: parts (in file order) merged as one reader would have read
    their files; later_paths: the files of parts[1:].

    Task inputs may be shared with other tasks on this worker and must not
    change, so everything is merged into a new accumulator."""
    out = _empty(max_messages, lang)
    for part in parts:
        out.merge(part)
    if out.counts.merge_conflicts == 0:
        return out
    # Some records are in two parts: their values are in both sums.  Read
    # the later parts' files again on top of the first part instead: its
    # duplicate table rejects them as a single reader would have.
    out = _empty(max_messages, lang)
    out.merge(parts[0])
    before = out.counts.files_read
    out.read(later_paths, threads=threads, errors="collect")
    _check_all_read(out, later_paths, before)
    return out


def _worker_threads(client):
    n = sum(client.nthreads().values())
    return max(n, 1)


def read_claims(paths, client=None, *, task_bytes=64 << 20,
                files_per_task=None, fan_in=4, threads_per_task=1,
                max_messages=1000, dataset=None, source="claims",
                errors="raise", lang=None):
    """read_claims(paths, client=None, *, task_bytes=64 MiB,
                   files_per_task=None, fan_in=4, threads_per_task=1,
                   max_messages=1000, dataset=None, source='claims',
                   errors='raise', lang=None)
    -> hicov.Claims

    Reads claim files and folders on a dask.distributed cluster and returns
    the merged accumulator, equal to hicov.read_claims(paths, threads=1).

    client: a distributed.Client; None uses the current default client, or
    starts a LocalCluster of one single-threaded worker process per CPU for
    the call.  Every worker must import the same hicov version and see the
    files at the same paths.

    task_bytes, files_per_task: consecutive files are grouped into tasks of
    at most task_bytes (a larger file is a task of its own) and at most
    files_per_task files; task_bytes is lowered so that there are at least
    two tasks per worker thread when the input allows.  A single file is
    never split between tasks: threads_per_task > 1 lets the core split a
    large plain-XML or CSV file between threads inside its task.

    fan_in: partial results merged per merge task (>= 2).

    max_messages: messages kept (counts have them all), as in
    hicov.read_claims.  dataset, source: add the result to a dataset
    (Claims.to_dataset) in this process.

    errors: as in hicov.read_claims: 'raise' raises the error of the first
    file that failed (every file is read first; the merged accumulator is
    exc.claims), 'collect' counts it and lists it in Claims.rejections.

    lang: the language of the messages ('vi', 'en', None: this process's),
    the result's Claims.lang; the tasks write this process's language when
    None, whatever the workers' environment says.
    """
    if errors not in ("raise", "collect"):
        raise ValueError(f"errors must be 'raise' or 'collect', not {errors!r}")
    if task_bytes < 1:
        raise ValueError(f"task_bytes must be >= 1, not {task_bytes}")
    if files_per_task is not None and files_per_task < 1:
        raise ValueError(f"files_per_task must be >= 1 or None, not "
                         f"{files_per_task}")
    if fan_in < 2:
        raise ValueError(f"fan_in must be >= 2, not {fan_in}")
    if threads_per_task < 0:
        raise ValueError(f"threads_per_task must be >= 0, not "
                         f"{threads_per_task}")
    if max_messages < 0:
        raise ValueError(f"max_messages must be >= 0, not {max_messages}")
    if lang not in (None, "vi", "en"):
        raise ValueError(f"lang must be 'vi', 'en' or None, not {lang!r}")
    if dataset is not None and not isinstance(dataset, hicov.Dataset):
        raise TypeError(f"dataset must be a hicov.Dataset, not "
                        f"{type(dataset).__name__}")
    opts = dict(task_bytes=task_bytes, files_per_task=files_per_task,
                fan_in=fan_in, threads=threads_per_task,
                max_messages=max_messages,
                # this process's language, not each worker's
                lang=lang or hicov.text_lang())
    if client is None:
        import distributed

        try:
            client = distributed.default_client()
        except ValueError:
            client = None
        if client is None:
            with distributed.LocalCluster(
                    n_workers=os.cpu_count() or 1, threads_per_worker=1,
                    processes=True, dashboard_address=None) as cluster, \
                    distributed.Client(cluster) as local:
                claims = _read_on(local, paths, **opts)
    if client is not None:
        claims = _read_on(client, paths, **opts)
    claims.lang = lang
    if errors == "raise":
        try:
            claims.check()
        except hicov.Error as e:
            e.claims = claims
            raise
    if dataset is not None:
        claims.to_dataset(dataset, source)
    return claims


def _read_on(client, paths, *, task_bytes, files_per_task, fan_in, threads,
             max_messages, lang):
    # The listing runs on a worker: the driver need not see the storage.
    files = client.submit(list_claim_files, paths, pure=False).result()
    if not files:
        return _empty(max_messages, lang)
    total = sum(n for _, n in files)
    per_thread = math.ceil(total / (2 * _worker_threads(client)))
    batches = _batches(files, max(1, min(task_bytes, per_thread)),
                       files_per_task)
    level = [(client.submit(_read_batch, b, threads, max_messages, lang,
                            pure=False), b) for b in batches]
    # Merges of `fan_in` neighbours, level by level, keep the files' order,
    # so messages and which copy of a duplicate is kept come out as with one
    # reader.  The driver holds only futures; a level's futures are dropped
    # once the next level is submitted, so the workers free each partial as
    # soon as it is merged.
    while len(level) > 1:
        nxt = []
        for i in range(0, len(level), fan_in):
            group = level[i:i + fan_in]
            if len(group) == 1:
                nxt.append(group[0])
                continue
            later = [p for _, paths in group[1:] for p in paths]
            nxt.append((client.submit(_merge_group, [f for f, _ in group],
                                      later, threads, max_messages, lang,
                                      pure=False),
                        group[0][1] + later))
        level = nxt
    return level[0][0].result()
