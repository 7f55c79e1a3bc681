"""Running an import: the check (a dry run) and, once confirmed, the write, in the request for
a small file and by the `run_import` task for a large one, which the page polls. `run_import`
is stored under contacts.imports (see contacts/task_paths.py)."""

import logging

from django.db import IntegrityError, connections, transaction
from django_tasks import task

from contacts.imports.limits import ImportFileError
from contacts.imports.plan import make_plan
from contacts.imports.reading import background_rows, below_header, head_of, read_table
from contacts.imports.suppressions import make_suppression_plan, write_suppressions
from contacts.imports.write import write
from contacts.models import ImportJob
from contacts.task_paths import stored_at
from core import workers

logger = logging.getLogger(__name__)


def start(job):
    """Run the job's next step (reading a big workbook's first rows, the check or the write)
    now if the file is small, else in the background."""
    if job.total_rows > background_rows():
        run_import.enqueue(job.pk)
    else:
        process_import(job.pk)


@task()
@stored_at("contacts.imports")
def run_import(job_id):
    """Read, check or write the import `job_id`, whichever its status asks for."""
    process_import(job_id)


def process_import(job_id):
    job = ImportJob.objects.select_related("media_list").get(pk=job_id)
    if not job.is_running:
        return
    progress = Progress(job)
    try:
        with job.file.open("rb") as file:
            table = read_table(file.read(), job.format)
        if job.status == ImportJob.Status.READING:
            job.ready_to_map(head_of(table), table.row_count)
            return
        table = below_header(table, job.header_row)
        if table.row_count is not None and job.total_rows != table.row_count:
            job.total_rows = table.row_count  # a big workbook's guess, or blank rows
            ImportJob.objects.filter(pk=job.pk).update(total_rows=job.total_rows)
        if job.status == ImportJob.Status.CHECKING:
            check_rows(job, table.rows, job.fields, progress)
        else:
            write_rows(job, table.rows, job.fields, progress)
    except ImportFileError as error:
        job.fail(str(error))
    except IntegrityError:
        logger.warning("Contact import %s collided with another change", job.pk, exc_info=True)
        job.fail(
            "Contacts of this file were added or changed while it was imported: "
            "nothing was imported. Upload it again."
        )
    except Exception:
        logger.exception("Contact import %s failed", job.pk)
        job.fail("Something went wrong while importing: nothing was imported.")
    except BaseException:  # the worker told to stop at once (a second Ctrl-C or SIGTERM)
        stopped(job.pk)
        raise
    finally:
        progress.close()
    if job.status in (ImportJob.Status.DONE, ImportJob.Status.FAILED):
        job.delete_upload()


def stopped(job_id):
    """What `run_import`'s worker dying does to its job (`ImportJob.stop`)."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is not None:
        job.stop()


workers.when_worker_dies(run_import, then=stopped)


def check_rows(job, rows, fields, progress):
    """The dry run: writes nothing but the job's report."""
    plan = planner(job)(job, rows, fields, progress)
    job.report(plan, ImportJob.Status.CHECKED)


def write_rows(job, rows, fields, progress):
    """Check again, then write in one transaction: every row the report counts is written,
    or none is. The progress bar covers both halves: checking, then writing."""
    plan = planner(job)(job, rows, fields, lambda checked: progress(checked // 2))
    if plan.invalid and not job.import_valid_rows:
        count = len(plan.invalid)
        message = f"{count} row{'s are' if count > 1 else ' is'} invalid: nothing was imported."
        job.report(plan, ImportJob.Status.FAILED, message)
        return
    writer = write_suppressions if job.is_suppression_list else write
    with transaction.atomic():
        writer(job, plan, lambda written: progress((plan.rows + written) // 2))
    job.report(plan, ImportJob.Status.DONE)


def planner(job):
    return make_suppression_plan if job.is_suppression_list else make_plan


class Progress:
    """Writes how far a job has got where the progress page can see it, every `every` rows.
    The write runs in one transaction, so on PostgreSQL the counter goes through a second
    connection that commits at once. SQLite allows one writer: there the page sees the end."""

    every = 2000

    def __init__(self, job):
        self.job, self.last, self.connection = job, 0, None

    def __call__(self, processed):
        self.job.processed_rows = processed
        if processed - self.last < self.every:
            return
        self.last = processed
        alias = ImportJob.objects.db
        if not connections[alias].in_atomic_block:
            ImportJob.objects.filter(pk=self.job.pk).update(processed_rows=processed)
        elif connections[alias].vendor == "postgresql":
            if self.connection is None:
                self.connection = connections.create_connection(alias)
            with self.connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportJob._meta.db_table} SET processed_rows = %s WHERE id = %s",
                    [processed, self.job.pk],
                )

    def close(self):
        if self.connection is not None:
            self.connection.close()
