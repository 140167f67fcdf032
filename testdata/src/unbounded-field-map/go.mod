module example.com/unbounded-field-map

go 1.22
