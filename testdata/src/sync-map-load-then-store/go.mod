module example.com/sync-map-load-then-store

go 1.22
