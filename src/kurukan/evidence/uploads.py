"""An upload handler that never lets evidence touch the disk in clear.

Django's default handlers keep small uploads in memory and write large ones to a plaintext temporary file;
a deleted plaintext file can still be carved from a seized disk. This handler hashes each chunk as it
arrives and spools it encrypted under a key that lives only in memory (storage.Spool), in constant memory.
"""

from __future__ import annotations

from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopFutureHandlers, StopUpload

from . import storage


class SpooledUpload(UploadedFile):
    def __init__(self, spool: storage.Spool, name: str, content_type: str) -> None:
        super().__init__(file=None, name=name, content_type=content_type, size=spool.size)
        self.spool = spool

    def close(self) -> None:
        self.spool.discard()


class EncryptingUploadHandler(FileUploadHandler):
    def __init__(self, request, max_bytes: int) -> None:
        super().__init__(request)
        self.max_bytes = max_bytes
        self.too_large = False
        self.spool: storage.Spool | None = None

    def new_file(self, *args, **kwargs) -> None:
        super().new_file(*args, **kwargs)
        if self.spool is not None:  # one file per upload form
            self.spool.discard()
        self.spool = storage.Spool()
        raise StopFutureHandlers

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        assert self.spool is not None
        if self.spool.size + len(raw_data) > self.max_bytes:
            self.too_large = True
            self.spool.discard()
            self.spool = None
            raise StopUpload(connection_reset=False)
        self.spool.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> SpooledUpload | None:
        if self.spool is None:
            return None
        return SpooledUpload(self.spool, self.file_name or "", self.content_type or "")

    def upload_interrupted(self) -> None:
        if self.spool is not None:
            self.spool.discard()
            self.spool = None
