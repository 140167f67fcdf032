module example.com/guarded-map-escapes-lock

go 1.22
