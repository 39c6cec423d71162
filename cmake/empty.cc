// Placeholder so a module library has a source before its first file lands.
