module example.com/unbounded-package-map

go 1.22
