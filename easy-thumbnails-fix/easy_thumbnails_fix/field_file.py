"""easy-thumbnails' field file, making all of a photo's thumbnails from one read."""

import contextlib
import time
from contextlib import contextmanager

from django.utils.module_loading import import_string
from easy_thumbnails import signals, source_generators
from easy_thumbnails.alias import aliases
from easy_thumbnails.conf import settings as thumbnail_settings
from easy_thumbnails.files import (
    Thumbnailer,
    ThumbnailerFieldFile,
    ThumbnailerImageFieldFile,
    ThumbnailFile,
)
from easy_thumbnails.models import Thumbnail, ThumbnailDimensions

from . import batch, is_enabled, maker_lock, peers
from .allocator import pin_mmap_threshold
from .conf import keeps_dimensions, works_ahead
from .one_maker import OneMaker
from .rows import record_rows, stored_copy
from .source_image import DecodedSource, decode, scale_and_crop
from .storage_hash import set_up, storage_hash
from .storage_io import overwrites, read_original, write_thumbnail

STOCK_PIL_GENERATOR = "easy_thumbnails.source_generators.pil_image"
STOCK_SCALE_AND_CROP = "easy_thumbnails.processors.scale_and_crop"


def decoded_source_image(source, exif_orientation=True, **options):
    """Source generator: the photo's original, read and decoded once for all aliases.

    Takes the place of easy-thumbnails' ``pil_image``, which reads and decodes
    the original again for every thumbnail.
    """
    if isinstance(source, ThumbnailFix) and source._reading_source:
        return source.source_image(exif_orientation, options)
    return source_generators.pil_image(source, exif_orientation, **options)


class RowSizedThumbnailFile(ThumbnailFile):
    """A thumbnail whose width and height, when asked for, come from its row
    (ThumbnailDimensions), not from opening it in the storage (#373).

    Not cached on it, as stock caches them only with
    THUMBNAIL_CACHE_DIMENSIONS: its ``tag()`` is stock's, which leaves a remote
    thumbnail's size out unless asked for.
    """

    row_size: tuple[int, int] | None = None

    def _get_image_dimensions(self):
        if not hasattr(self, "_dimensions_cache") and self.row_size:
            return self.row_size
        return super()._get_image_dimensions()


class ThumbnailFix(OneMaker):
    """For an easy-thumbnails field file class, placed before it: download and
    decode the original once, read all Thumbnail rows in one query, save
    without a DELETE first, record a photo's new rows in one INSERT (rows),
    and make each thumbnail once, under a lock per photo (one_maker).

    Names, rows and processors are stock's: a page rendered with it finds the
    thumbnails stock made, and stock finds the ones it made.
    """

    # Class defaults, so that an unpickled file (FieldFile pickles only its
    # name and file) starts with nothing cached.
    _original: bytes | None = None
    _decoded_source: DecodedSource | None = None
    _thumbnail_rows: dict | None = None
    _rows_read_at: int | None = None  # time.time_ns(), comparable across processes
    _pending: tuple = ()
    _uploads: tuple = ()
    _ahead: frozenset = frozenset()  # names drawn ahead on a page, not yet asked for
    _reading_source = False
    # The decoded original the processors are making the current alias from.
    _scaled_source: DecodedSource | None = None
    _maker_hold: maker_lock.Hold | None = None

    @property
    def source_generators(self):
        return [
            decoded_source_image if name == STOCK_PIL_GENERATOR else import_string(name)
            for name in thumbnail_settings.THUMBNAIL_SOURCE_GENERATORS
        ]

    @property
    def thumbnail_processors(self):
        # Stock's processors, in stock's order; scale_and_crop resizes from a
        # draft as from the full original.
        if not is_enabled("draft_decode"):
            return None
        return [
            self.scale_and_crop if name == STOCK_SCALE_AND_CROP else import_string(name)
            for name in thumbnail_settings.THUMBNAIL_PROCESSORS
        ]

    def scale_and_crop(self, image, **options):
        return scale_and_crop(self._scaled_source, image, **options)

    @contextmanager
    def making(self, thumbnail_options, save: bool, looked_at_ns: int):
        """Take the photo's maker lock before its first missing alias is made
        and hold it until its rows are written (finish_thumbnail_work), so
        that each thumbnail is made once by all the threads and processes
        that use the database. A thumbnail not saved is made without it.

        A maker that took the lock after another one released it reads the
        photo's rows again and finds what that one made.
        """
        made_meanwhile = None
        if save and self._maker_hold is None:
            batch.begin(self)  # the photo before releases its lock first
            page_rows = batch.page_rows()
            read_at = self._rows_read_at if self._thumbnail_rows is not None else None
            read_at = read_at or looked_at_ns
            if page_rows is not None:
                # The page's first thumbnail to make locks its photos together,
                # and reads again the rows another maker may have changed.
                peers.lock_with_peers(self)
            rows_read_again = self._maker_hold is not None
            if page_rows is not None and self._maker_hold is None:
                self._maker_hold = maker_lock.try_acquire_many(
                    [self._maker_key()], read_at
                ).get(self._maker_key())
                if self._maker_hold is None:
                    # About to wait: hold nothing meanwhile, or two pages
                    # could wait for each other.
                    page_rows.flush()
                    batch.stop_read_ahead()
            if self._maker_hold is None:
                self._maker_hold = maker_lock.acquire(self._maker_key(), read_at)
            if page_rows is not None:
                page_rows.hold(self)
            if self._maker_hold.made_since_read:
                if not rows_read_again:
                    self.forget_rows()
                    # Read now, even where no Source row stands (the look
                    # stops there): the rows made are kept with them.
                    self.thumbnail_rows()
                made_meanwhile = self.get_existing_thumbnail(thumbnail_options)
                if made_meanwhile and not self._pending:
                    self.release_maker_lock(made=False)
        try:
            yield made_meanwhile
        finally:
            if not batch.in_batch():
                # Recorded as soon as saved (save_thumbnail): nothing waits.
                self.release_maker_lock(made=True)

    def _maker_key(self) -> str:
        return ":".join(
            [
                "photo",
                storage_hash(self.source_storage),
                storage_hash(self.thumbnail_storage),
                self.name,
            ]
        )

    def release_maker_lock(self, made: bool) -> None:
        hold, self._maker_hold = self._maker_hold, None
        if hold is not None:
            hold.release(made)

    def forget_rows(self) -> None:
        """Read the photo's Source and Thumbnail rows again when next asked."""
        self._thumbnail_rows = None
        self.forget_missing_source()

    def delete_thumbnails(self, source_cache=None):
        deleted = super().delete_thumbnails(source_cache)
        self.forget_rows()
        return deleted

    def get_existing_thumbnail(self, thumbnail_options):
        if self._rows_read_at is None and is_enabled("row_cache"):
            # The first look of a page: the rows of every object loaded with
            # this one, in one go. Not once they were read and forgotten: the
            # version its query read is older than them.
            peers.read_with_peers(self)
        unrecorded = self.unrecorded_thumbnails()
        if unrecorded:
            # Asked for again before its row is written ({{ f.alias.url }},
            # then {{ f.alias.width }} on a page): the one saved.
            options = self.get_options(thumbnail_options)
            for transparent in (False, True):
                name = self.get_thumbnail_name(options, transparent=transparent)
                if name in unrecorded:
                    return unrecorded[name]
        thumbnail = super().get_existing_thumbnail(thumbnail_options)
        if (
            thumbnail
            and keeps_dimensions()
            and not thumbnail_settings.THUMBNAIL_CACHE_DIMENSIONS
            and self._thumbnail_rows is not None
        ):
            row = self._thumbnail_rows.get(thumbnail.name)
            size = getattr(getattr(row, "dimensions", None), "size", None)
            if size is not None:
                thumbnail.__class__ = RowSizedThumbnailFile
                thumbnail.row_size = size
        return thumbnail

    def generate_thumbnail(self, thumbnail_options, silent_template_exception=False):
        if is_enabled("pinned_mmap"):
            pin_mmap_threshold()
        batch.begin(self)
        self._reading_source = True
        try:
            return super().generate_thumbnail(
                thumbnail_options, silent_template_exception=silent_template_exception
            )
        finally:
            self._reading_source = False
            self._scaled_source = None

    def open(self, mode="rb"):
        # The engine opens the source before each thumbnail. Stock's S3File
        # sends a HEAD, downloads on read and drops the download on close;
        # here the first open of a photo downloads it in one GET, and the
        # others find it read. A failure raises as stock's open does, so the
        # engine reports "not an image" the same way.
        if self._reading_source and is_enabled("read_once"):
            if self._decoded_source is None and self._original is None:
                if self.closed:
                    original = batch.read_ahead_original(self)
                    if original is None:
                        original = peers.read_ahead_original(self)
                    if original is None:
                        original = read_original(self.source_storage, self.name)
                    self._original = original
                else:
                    # A file handed to the thumbnailer (an upload being
                    # resized, a remote source): stock reads it, not storage.
                    super().open(mode)
                    self._original = self.read()
            return self
        return super().open(mode)

    def source_image(self, exif_orientation: bool, options: dict):
        """The image the processors make this thumbnail from."""
        read_once, draft = is_enabled("read_once"), is_enabled("draft_decode")
        if read_once and draft:
            decoded = self.decoded_source(exif_orientation, options)
        else:
            # One part alone, to measure it: the other cause stays as in stock.
            data = self._original if read_once else self.read()
            decoded = decode(data, [options] if draft else [], exif_orientation)
        self._scaled_source = decoded if draft else None
        return decoded.image_for(options)

    def decoded_source(self, exif_orientation: bool, options: dict) -> DecodedSource:
        """The original decoded once for all aliases, as small as they allow."""
        decoded = self._decoded_source
        # Options no alias has (a {% thumbnail %} tag, say) may need more
        # pixels than the draft kept: then decode again, from the same bytes.
        if (
            decoded is not None
            and decoded.exif_orientation == exif_orientation
            and decoded.keeps_geometry(options)
        ):
            return decoded
        data = self._original if decoded is None else decoded.data
        alias_options = list(aliases.all(self, include_global=True).values())
        self._decoded_source = decode(data, [options, *alias_options], exif_orientation)
        self._original = None
        return self._decoded_source

    def get_source_cache(self, create=False, update=False):
        if is_enabled("storage_hash"):
            set_up(self.source_storage)
        return super().get_source_cache(create=create, update=update)

    def get_thumbnail_cache(self, thumbnail_name, create=False, update=False):
        if create or update or self.remote_source or not is_enabled("row_cache"):
            if is_enabled("storage_hash"):
                set_up(self.thumbnail_storage)
            return super().get_thumbnail_cache(thumbnail_name, create, update)
        row = self.thumbnail_rows().get(thumbnail_name)
        if row is None and self.thumbnail_check_cache_miss:
            return super().get_thumbnail_cache(thumbnail_name)
        return row

    def thumbnail_rows(self) -> dict:
        """This photo's Thumbnail rows by name, read in one query the first time."""
        if self._thumbnail_rows is None:
            self._rows_read_at = time.time_ns()
            source = self.get_source_cache()
            rows = {}
            if source is not None:
                query = Thumbnail.objects.filter(
                    source=source, storage_hash=storage_hash(self.thumbnail_storage)
                )
                if keeps_dimensions():
                    query = query.select_related("dimensions")
                rows = {row.name: row for row in query}
            self._thumbnail_rows = rows
        return self._thumbnail_rows

    def set_prefetched(self, source, thumbnail_rows: dict, read_at: int) -> None:
        """Take rows read for a whole page (see prefetch.prefetch_thumbnails)."""
        self._source_cache = source
        self._thumbnail_rows = thumbnail_rows
        self._rows_read_at = read_at

    def get_thumbnail(
        self,
        thumbnail_options,
        save=True,
        generate=None,
        silent_template_exception=False,
    ):
        """OneMaker's get_thumbnail; on a page, the thumbnail given once it is
        stored, after the page's next ones for the photo are drawn ahead."""
        made_before = len(self._pending)
        thumbnail = super().get_thumbnail(
            thumbnail_options, save, generate, silent_template_exception
        )
        index = self._pending_index(thumbnail) if batch.on_page() else None
        if index is None:
            return thumbnail  # not saved by this photo on a page: nothing to wait for
        options = self.get_options(thumbnail_options)
        if index >= made_before:  # made just now, not found
            if works_ahead():
                for ahead in batch.made_on_page(options):
                    if not self.draw_ahead(ahead, silent_template_exception):
                        break
        elif thumbnail.name in self._ahead:
            self._ahead -= {thumbnail.name}
            batch.asked_on_page(options)
        self.wait_stored(index)
        return thumbnail

    def draw_ahead(self, thumbnail_options, silent_template_exception) -> bool:
        """Make the thumbnail of options, its upload beside, unless it is
        made already; False if it cannot be: the page's ask makes it then,
        and fails as stock's would."""
        if self.get_existing_thumbnail(thumbnail_options):
            return True
        try:
            thumbnail = self.generate_thumbnail(
                thumbnail_options, silent_template_exception=silent_template_exception
            )
        except Exception:
            return False
        self.save_thumbnail(thumbnail)
        self._ahead |= {thumbnail.name}
        return True

    def _pending_index(self, thumbnail) -> int | None:
        """Where thumbnail is among this photo's saved thumbnails (None if
        it is not one of them)."""
        for index, pending in enumerate(self._pending):
            if pending is thumbnail:
                return index
        return None

    def wait_stored(self, index: int) -> None:
        """Wait for the upload of this photo's index-th saved thumbnail;
        raise its failure, and forget it, as a failed save would have."""
        error = self._uploads[index].exception()
        if error is not None:
            self._pending = self._pending[:index] + self._pending[index + 1 :]
            self._uploads = self._uploads[:index] + self._uploads[index + 1 :]
            raise error

    def save_thumbnail(self, thumbnail):
        batch.begin(self)
        beside = batch.in_batch() and is_enabled("upload_beside")
        if beside:
            # Stored while the next alias is made; recorded once all are
            # stored. A page waits for it before giving its URL.
            upload = batch.upload(self.store, thumbnail)
        else:
            # Stored before its URL is given: a failure is this photo's own.
            upload = batch.done(self.store, thumbnail)
            upload.result()
        if batch.in_batch() and (beside or is_enabled("row_cache")):
            self._pending = (*self._pending, thumbnail)
            self._uploads = (*self._uploads, upload)
        else:
            self.record_thumbnails([thumbnail])

    def store(self, thumbnail) -> None:
        storage = set_up(self.thumbnail_storage)
        if is_enabled("no_delete") and overwrites(storage):
            if is_enabled("upload_beside"):
                write_thumbnail(storage, thumbnail.name, thumbnail)
            else:
                storage.save(thumbnail.name, thumbnail)
            return
        # Saving under a taken name would add a suffix: free it first, as stock does.
        with contextlib.suppress(Exception):
            storage.delete(thumbnail.name)
        storage.save(thumbnail.name, thumbnail)

    def unrecorded_thumbnails(self) -> dict:
        """The thumbnails saved whose rows are not written yet, by name: this
        photo's, until its last alias (``_pending``), then its page's end."""
        page_rows = batch.page_rows()
        deferred = page_rows.deferred(self) if page_rows is not None else []
        return {thumbnail.name: thumbnail for thumbnail in [*self._pending, *deferred]}

    def finish_thumbnail_work(self) -> None:
        """Called when the thread moves on to another photo or ends its batch.

        On a page (``thumbnail_page``) the photo's rows wait for the page's
        end, written with the other photos' (its lock held until then); the
        thumbnails are kept by name and size only, not their images.
        """
        pending, self._pending = self._pending, ()
        uploads, self._uploads = self._uploads, ()
        self._ahead = frozenset()
        self._decoded_source = self._original = None
        page_rows = batch.page_rows()
        stored = []
        try:
            # Only stored thumbnails get a row; the first failure is raised.
            stored = [
                thumbnail
                for thumbnail, upload in zip(pending, uploads, strict=True)
                if upload.exception() is None
            ]
            if stored and page_rows is not None:
                page_rows.defer(self, [stored_copy(thumbnail) for thumbnail in stored])
            elif stored:
                self.record_thumbnails(stored)
            for upload in uploads:
                upload.result()
        finally:
            if page_rows is not None and self._maker_hold is not None:
                page_rows.hold(self)
            else:
                self.release_maker_lock(made=bool(stored))

    def record_thumbnails(self, thumbnails) -> None:
        """Write the Thumbnail rows of saved thumbnails in one INSERT (see
        record_rows)."""
        if not is_enabled("row_cache") and not self.remote_source:
            for thumbnail in thumbnails:
                self.record_thumbnail_as_stock(thumbnail)
            return
        record_rows([(self, thumbnails)])

    def record_thumbnail_as_stock(self, thumbnail) -> None:
        # The rest of stock's save_thumbnail, once the thumbnail is stored.
        thumb_cache = self.get_thumbnail_cache(thumbnail.name, create=True, update=True)
        if thumbnail_settings.THUMBNAIL_CACHE_DIMENSIONS:
            dimensions, created = ThumbnailDimensions.objects.get_or_create(
                thumbnail=thumb_cache,
                defaults={"width": thumbnail.width, "height": thumbnail.height},
            )
            if not created:
                dimensions.width, dimensions.height = thumbnail.width, thumbnail.height
                dimensions.save()
        signals.thumbnail_created.send(sender=thumbnail)


class FixedThumbnailer(ThumbnailFix, Thumbnailer):
    """get_thumbnailer() of a storage name or a file, with the fix."""


class FixedThumbnailerFieldFile(ThumbnailFix, ThumbnailerFieldFile):
    """A ThumbnailerField's file, with the fix."""


class FixedThumbnailerImageFieldFile(ThumbnailFix, ThumbnailerImageFieldFile):
    """A ThumbnailerImageField's file, with the fix."""
