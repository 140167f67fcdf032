// Package model holds domain types used as map values by package store.
package model

import "time"

type LineItem struct {
	SKU      string
	Quantity int32
	Price    int64
}

type Address struct {
	Line1, Line2, City, Postcode, Country string
}

// Order is stored by value in store's maps.
type Order struct {
	ID         int64
	CustomerID int64
	Status     string
	Currency   string
	Items      []LineItem
	Total      int64
	Discount   int64
	PlacedAt   time.Time
	Paid       bool
	ShipTo     *Address
	Notes      string
}

// OrderSummary is the small projection listed on dashboards.
type OrderSummary struct {
	ID     int64
	Status string
	Total  int64
	Paid   bool
}

// Actor identifies who did something; it is embedded in audit records.
type Actor struct {
	UserID int64
	Name   string
	IP     [16]byte
	Agent  string
}
