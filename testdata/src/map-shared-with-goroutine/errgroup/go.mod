module example.com/map-shared-with-goroutine/errgroup

go 1.25

require golang.org/x/sync v0.10.0
