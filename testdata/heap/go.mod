module mapguard.test/heap

go 1.23
