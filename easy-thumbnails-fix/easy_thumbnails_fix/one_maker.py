"""Each thumbnail made once, however many threads and processes ask for it.

Stock easy-thumbnails looks for a thumbnail and, not finding it, makes and
stores it; requests that look at the same moment all make it (eight cold
requests store every thumbnail eight times). ``OneMaker.get_thumbnail`` is
stock's, with the making of a missing thumbnail inside the field file's
``making``: it takes the maker lock (``maker_lock``: a file lock beside
SQLite, an advisory lock on PostgreSQL) and gives the thumbnail another maker
made meanwhile, if one did. The look itself is stock's, without the lock, so
thumbnails that exist cost exactly stock's queries.

The fix's field files (``field_file``) lock the photo, until its rows are
written. Stock's files are left as they are: THUMBNAIL_FIX off is stock,
duplicates and all.
"""

import time

from easy_thumbnails import signals


class OneMaker:
    """For an easy-thumbnails field file class, placed before it: stock's
    get_thumbnail, a missing thumbnail made inside ``making``."""

    def get_thumbnail(
        self,
        thumbnail_options,
        save=True,
        generate=None,
        silent_template_exception=False,
    ):
        """Stock's get_thumbnail, a missing thumbnail made inside ``making``,
        which may give instead the one another maker made meanwhile."""
        thumbnail_options = self.get_options(thumbnail_options)
        if generate is None:
            generate = self.generate
        looked_at_ns = time.time_ns()
        thumbnail = self.get_existing_thumbnail(thumbnail_options)
        if thumbnail:
            return thumbnail
        if not generate:
            signals.thumbnail_missed.send(sender=self, options=thumbnail_options)
            return None
        with self.making(thumbnail_options, save, looked_at_ns) as made_meanwhile:
            if made_meanwhile:
                return made_meanwhile
            thumbnail = self.generate_thumbnail(
                thumbnail_options, silent_template_exception=silent_template_exception
            )
            if save:
                self.save_thumbnail(thumbnail)
            return thumbnail

    def making(self, thumbnail_options, save: bool, looked_at_ns: int):
        """Take the maker lock around the making of a missing thumbnail (a
        context manager); yield the thumbnail if another maker made it after
        looked_at_ns (``time.time_ns()`` before the look), else None.

        save says whether the thumbnail made is to be stored and recorded.
        """
        raise NotImplementedError

    def forget_missing_source(self) -> None:
        """Look for the Source row again, if it was missing when last looked for."""
        if getattr(self, "_source_cache", True) is None:
            del self._source_cache
