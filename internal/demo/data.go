package demo

import (
	"seatgraph/internal/domain"
)

// eventSpec describes one demo event relative to the seeding time.
type eventSpec struct {
	key         string
	title       string
	description string
	category    string
	venue       string
	address     string
	onlineURL   string
	timeZone    string
	currency    string
	region      string // preferred home region of its bookers
	status      domain.EventStatus

	createdDaysAgo int // when the organizer created it
	startInDays    int // negative: in the past
	startHour      int // local time of day in timeZone
	startMinute    int
	durationHours  int
	closeHours     int // registration closes this many hours before the start

	capacity      *int // nil: unlimited
	waitlist      bool
	maxPerBooking *int
	policy        *domain.CancellationPolicy

	cancelledDaysAgo int // for CANCELLED events
	cancelReason     string

	categories []categorySpec
}

type categorySpec struct {
	name        string
	description string
	price       int64 // gross, minor units
	taxRate     int64 // hundredths of a percent
	capacity    *int
	weight      int // how often bookers pick it
	salesEndsH  int // sales end this many hours before the start; 0: no end
}

// personSpec is one demo participant.
type personSpec struct {
	first, last string
	email       string
	region      string // DE, US, JP or EU
	phone       string
	company     string
	jobTitle    string
	address     string
	zip         string
	city        string
	country     string
	externalRef string
}

func intp(v int) *int { return &v }

func i64p(v int64) *int64 { return &v }

// standardPolicy: free cancellation until a week before, half kept from
// 48 hours before, nothing refunded after the start.
func standardPolicy() *domain.CancellationPolicy {
	return &domain.CancellationPolicy{Rules: []domain.CancellationRule{
		{HoursBeforeStart: 168, KeepPercent: 0},
		{HoursBeforeStart: 48, KeepPercent: 5000},
		{HoursBeforeStart: 0, KeepPercent: 10000},
	}}
}

// eventSpecs is the demo programme; seeding only reads it.
var eventSpecs = []eventSpec{
	{
		key:   "goconf",
		title: "Go Days Berlin",
		description: "Two tracks of talks on Go in production: observability, " +
			"generics in practice, profiling and building reliable services. " +
			"Lunch, coffee and the evening get-together are included.",
		category: "Conference", venue: "Station Berlin",
		address:   "Luckenwalder Str. 4-6, 10963 Berlin, Germany",
		onlineURL: "https://live.example.com/go-days-berlin",
		timeZone:  "Europe/Berlin", currency: "EUR", region: "DE",
		status:         domain.EventStatusPublished,
		createdDaysAgo: 60, startInDays: 35, startHour: 9, durationHours: 9, closeHours: 24,
		capacity: intp(120), maxPerBooking: intp(4), policy: standardPolicy(),
		categories: []categorySpec{
			{name: "Standard", description: "Full conference day incl. catering", price: 34900, taxRate: 1900, weight: 6},
			{name: "Student", description: "For students with a valid student ID", price: 14900, taxRate: 1900, capacity: intp(20), weight: 2, salesEndsH: 7 * 24},
			{name: "VIP", description: "Reserved front seats, speakers' dinner and goodie bag", price: 59900, taxRate: 1900, capacity: intp(10), weight: 1},
		},
	},
	{
		key:   "jazz",
		title: "Candlelight Jazz Session: Nordic Trio",
		description: "An intimate evening of Scandinavian jazz in a former harbour " +
			"warehouse, limited to twelve seats around the band.",
		category: "Concert", venue: "Kulturspeicher Hamburg",
		address:  "Am Sandtorkai 36, 20457 Hamburg, Germany",
		timeZone: "Europe/Berlin", currency: "EUR", region: "DE",
		status:         domain.EventStatusPublished,
		createdDaysAgo: 55, startInDays: 12, startHour: 20, durationHours: 3, closeHours: 2,
		capacity: intp(12), waitlist: true, maxPerBooking: intp(4),
		policy: &domain.CancellationPolicy{Rules: []domain.CancellationRule{
			{HoursBeforeStart: 336, KeepPercent: 0},
			{HoursBeforeStart: 168, KeepPercent: 2500},
			{HoursBeforeStart: 48, KeepPercent: 10000},
		}},
		categories: []categorySpec{
			{name: "Standard", description: "Seat incl. a welcome drink", price: 4500, taxRate: 700, weight: 3},
			{name: "Reduced", description: "Students, pensioners and holders of the Hamburg culture pass", price: 2500, taxRate: 700, capacity: intp(4), weight: 1},
		},
	},
	{
		key:   "nyc",
		title: "Product Design Summit New York",
		description: "A day of case studies and workshops on research, design systems " +
			"and accessible interfaces, with product teams from around the world.",
		category: "Conference", venue: "Pier 36 Event Space",
		address:  "299 South St, New York, NY 10002, USA",
		timeZone: "America/New_York", currency: "USD", region: "US",
		status:         domain.EventStatusPublished,
		createdDaysAgo: 58, startInDays: 50, startHour: 9, startMinute: 30, durationHours: 8, closeHours: 48,
		capacity: intp(200), waitlist: true, maxPerBooking: intp(4),
		policy: &domain.CancellationPolicy{Rules: []domain.CancellationRule{
			{HoursBeforeStart: 720, KeepPercent: 0},
			{HoursBeforeStart: 168, KeepPercent: 5000, FixedFee: i64p(2500)},
			{HoursBeforeStart: 0, KeepPercent: 10000},
		}},
		categories: []categorySpec{
			{name: "Standard", description: "All talks and workshops", price: 49900, weight: 6},
			{name: "Student", description: "Student ticket, ID required at the door", price: 19900, capacity: intp(30), weight: 2},
			{name: "VIP", description: "All-access incl. the speakers' reception", price: 99900, capacity: intp(15), weight: 1},
		},
	},
	{
		key:   "tokyo",
		title: "Tokyo Cloud Native Meetup",
		description: "Lightning talks on Kubernetes, service meshes and platform " +
			"engineering, followed by networking with drinks. Talks in English and Japanese.",
		category: "Meetup", venue: "Shibuya Stream Hall",
		address:   "3-21-3 Shibuya, Shibuya-ku, Tokyo 150-0002, Japan",
		onlineURL: "https://live.example.com/tokyo-cloud-native",
		timeZone:  "Asia/Tokyo", currency: "JPY", region: "JP",
		status:         domain.EventStatusPublished,
		createdDaysAgo: 50, startInDays: 20, startHour: 19, durationHours: 3, closeHours: 6,
		capacity: intp(80), maxPerBooking: intp(2),
		policy: &domain.CancellationPolicy{Rules: []domain.CancellationRule{
			{HoursBeforeStart: 72, KeepPercent: 5000},
			{HoursBeforeStart: 0, KeepPercent: 10000},
		}},
		categories: []categorySpec{
			{name: "Standard", description: "Entry incl. one drink", price: 3000, taxRate: 1000, weight: 4},
			{name: "Student", description: "Entry for students", price: 1000, taxRate: 1000, capacity: intp(20), weight: 1},
		},
	},
	{
		key:   "oss",
		title: "Open Source Community Day Munich",
		description: "A free day for maintainers and contributors: hack sessions, " +
			"mentoring tables and short talks. Supporter tickets help cover the costs.",
		category: "Community", venue: "Werksviertel-Mitte",
		address:  "Atelierstraße 10, 81671 München, Germany",
		timeZone: "Europe/Berlin", currency: "EUR", region: "EU",
		status:         domain.EventStatusPublished,
		createdDaysAgo: 45, startInDays: 8, startHour: 10, durationHours: 7, closeHours: 12,
		maxPerBooking: intp(3),
		categories: []categorySpec{
			{name: "Standard", description: "Free admission", price: 0, weight: 4},
			{name: "Supporter", description: "Free admission plus a contribution to the community fund", price: 2000, taxRate: 1900, capacity: intp(50), weight: 1},
		},
	},
	{
		key:   "k8s",
		title: "Kubernetes Hands-on Workshop",
		description: "A full-day workshop for developers taking their first services " +
			"to Kubernetes. Bring your own laptop.",
		category: "Workshop", venue: "Design Offices Köln Dominium",
		address:  "Tunisstraße 19-23, 50667 Köln, Germany",
		timeZone: "Europe/Berlin", currency: "EUR", region: "DE",
		status:         domain.EventStatusDraft,
		createdDaysAgo: 2, startInDays: 70, startHour: 10, durationHours: 7, closeHours: 72,
		capacity: intp(25), waitlist: true, maxPerBooking: intp(2), policy: standardPolicy(),
		categories: []categorySpec{
			{name: "Standard", description: "Workshop incl. lunch", price: 69000, taxRate: 1900, weight: 3},
			{name: "Student", description: "Reduced price for students", price: 39000, taxRate: 1900, capacity: intp(5), weight: 1},
		},
	},
	{
		key:   "gala",
		title: "Summer Gala Frankfurt",
		description: "Dinner, live music and the annual community awards in the " +
			"ballroom of the Palmengarten.",
		category: "Gala", venue: "Palmengarten Gesellschaftshaus",
		address:  "Palmengartenstraße 11, 60325 Frankfurt am Main, Germany",
		timeZone: "Europe/Berlin", currency: "EUR", region: "DE",
		status:         domain.EventStatusCancelled,
		createdDaysAgo: 52, startInDays: 25, startHour: 18, startMinute: 30, durationHours: 6, closeHours: 48,
		capacity: intp(150), maxPerBooking: intp(4), policy: standardPolicy(),
		cancelledDaysAgo: 3, cancelReason: "The venue is unavailable because of renovation works.",
		categories: []categorySpec{
			{name: "Standard", description: "Dinner and programme", price: 12900, taxRate: 1900, weight: 4},
			{name: "VIP", description: "Table near the stage and champagne reception", price: 24900, taxRate: 1900, capacity: intp(20), weight: 1},
		},
	},
	{
		key:   "dataday",
		title: "Data Engineering Day Munich",
		description: "Talks and panels on streaming pipelines, data contracts and " +
			"the modern lakehouse.",
		category: "Conference", venue: "Smartvillage Bogenhausen",
		address:  "Rosenheimer Str. 145e, 81671 München, Germany",
		timeZone: "Europe/Berlin", currency: "EUR", region: "DE",
		status:         domain.EventStatusPublished,
		createdDaysAgo: 60, startInDays: -20, startHour: 9, durationHours: 8, closeHours: 24,
		capacity: intp(60), maxPerBooking: intp(4), policy: standardPolicy(),
		categories: []categorySpec{
			{name: "Standard", description: "Conference day incl. catering", price: 19900, taxRate: 1900, weight: 6},
			{name: "Student", description: "For students with a valid student ID", price: 7900, taxRate: 1900, capacity: intp(10), weight: 2},
			{name: "VIP", description: "Reserved seats and speakers' dinner", price: 34900, taxRate: 1900, capacity: intp(8), weight: 1},
		},
	},
	{
		key:   "brooklyn",
		title: "Startup Pitch Night Brooklyn",
		description: "Ten early-stage founders pitch to a panel of investors; " +
			"the audience votes for the winner.",
		category: "Networking", venue: "The Brooklyn Loft",
		address:  "45 Main St, Brooklyn, NY 11201, USA",
		timeZone: "America/New_York", currency: "USD", region: "US",
		status:         domain.EventStatusPublished,
		createdDaysAgo: 59, startInDays: -40, startHour: 18, durationHours: 4, closeHours: 4,
		capacity: intp(50), maxPerBooking: intp(4),
		policy: &domain.CancellationPolicy{Rules: []domain.CancellationRule{
			{HoursBeforeStart: 24, KeepPercent: 10000},
		}},
		categories: []categorySpec{
			{name: "Standard", description: "Entry incl. drinks", price: 2500, weight: 4},
			{name: "Student", description: "Entry for students", price: 1000, capacity: intp(15), weight: 1},
		},
	},
}

// personSpecs are the demo people; seeding only reads them.
var personSpecs = []personSpec{
	{first: "Anna", last: "Schmidt", email: "anna.schmidt@example.com", region: "DE", phone: "+49 30 1234567", company: "Nordlicht Software GmbH", jobTitle: "Engineering Manager", address: "Torstraße 109", zip: "10119", city: "Berlin", country: "DE"},
	{first: "Jonas", last: "Müller", email: "jonas.mueller@example.com", region: "DE", company: "Nordlicht Software GmbH", jobTitle: "Backend Developer", city: "Berlin", country: "DE"},
	{first: "Lea", last: "Fischer", email: "lea.fischer@example.de", region: "DE", city: "Hamburg", country: "DE"},
	{first: "Lukas", last: "Weber", email: "lukas.weber@example.com", region: "DE", phone: "+49 89 5556677", company: "Isarwerk Analytics AG", jobTitle: "Data Engineer", address: "Leopoldstraße 23", zip: "80802", city: "München", country: "DE"},
	{first: "Sophie", last: "Becker", email: "sophie.becker@example.org", region: "DE", city: "Köln", country: "DE"},
	{first: "Felix", last: "Wagner", email: "felix.wagner@example.com", region: "DE", company: "Rheinblick IT Services", jobTitle: "DevOps Engineer", city: "Düsseldorf", country: "DE"},
	{first: "Marie", last: "Hoffmann", email: "marie.hoffmann@example.de", region: "DE", phone: "+49 40 9876543", city: "Hamburg", country: "DE"},
	{first: "Paul", last: "Schäfer", email: "paul.schaefer@example.com", region: "DE", company: "Isarwerk Analytics AG", jobTitle: "Head of Data", city: "München", country: "DE"},
	{first: "Laura", last: "Koch", email: "laura.koch@example.net", region: "DE", city: "Leipzig", country: "DE"},
	{first: "Maximilian", last: "Richter", email: "maximilian.richter@example.com", region: "DE", company: "Spreebyte GmbH", jobTitle: "CTO", address: "Oranienstraße 185", zip: "10999", city: "Berlin", country: "DE", externalRef: "CRM-10442"},
	{first: "Hannah", last: "Klein", email: "hannah.klein@example.de", region: "DE", city: "Frankfurt am Main", country: "DE"},
	{first: "Tobias", last: "Wolf", email: "tobias.wolf@example.com", region: "DE", company: "Mainova Digital", jobTitle: "Product Owner", city: "Frankfurt am Main", country: "DE"},
	{first: "Julia", last: "Neumann", email: "julia.neumann@example.org", region: "DE", city: "Stuttgart", country: "DE"},
	{first: "Niklas", last: "Schwarz", email: "niklas.schwarz@example.com", region: "DE", company: "Spreebyte GmbH", jobTitle: "Frontend Developer", city: "Berlin", country: "DE"},
	{first: "Katharina", last: "Zimmermann", email: "katharina.zimmermann@example.de", region: "DE", phone: "+49 221 4455660", company: "Domstadt Media", jobTitle: "UX Researcher", city: "Köln", country: "DE"},
	{first: "Florian", last: "Braun", email: "florian.braun@example.com", region: "DE", city: "Hannover", country: "DE"},
	{first: "Elena", last: "Gruber", email: "elena.gruber@example.at", region: "EU", company: "Donaulogic GmbH", jobTitle: "Software Architect", city: "Wien", country: "AT"},
	{first: "Matthias", last: "Huber", email: "matthias.huber@example.ch", region: "EU", city: "Zürich", country: "CH"},
	{first: "Emma", last: "Johnson", email: "emma.johnson@example.com", region: "US", phone: "+1 212 555 0147", company: "Hudson Labs Inc.", jobTitle: "Design Lead", address: "350 5th Ave", zip: "10118", city: "New York", country: "US"},
	{first: "Liam", last: "Smith", email: "liam.smith@example.com", region: "US", city: "Brooklyn", country: "US"},
	{first: "Olivia", last: "Brown", email: "olivia.brown@example.org", region: "US", company: "Beacon Ventures", jobTitle: "Partner", city: "Boston", country: "US", externalRef: "HS-88213"},
	{first: "Noah", last: "Davis", email: "noah.davis@example.com", region: "US", city: "Chicago", country: "US"},
	{first: "Ava", last: "Martinez", email: "ava.martinez@example.com", region: "US", company: "Goldengate Health", jobTitle: "Product Designer", city: "San Francisco", country: "US"},
	{first: "Ethan", last: "Wilson", email: "ethan.wilson@example.ca", region: "US", city: "Toronto", country: "CA"},
	{first: "Charlotte", last: "Evans", email: "charlotte.evans@example.co.uk", region: "EU", company: "Thameside Digital Ltd", jobTitle: "Head of Product", city: "London", country: "GB"},
	{first: "James", last: "Taylor", email: "james.taylor@example.co.uk", region: "EU", city: "Manchester", country: "GB"},
	{first: "Chloé", last: "Dubois", email: "chloe.dubois@example.fr", region: "EU", company: "Atelier Numérique SAS", jobTitle: "UI Designer", city: "Paris", country: "FR"},
	{first: "Lucas", last: "Martin", email: "lucas.martin@example.fr", region: "EU", city: "Lyon", country: "FR"},
	{first: "Giulia", last: "Rossi", email: "giulia.rossi@example.it", region: "EU", phone: "+39 02 8765432", city: "Milano", country: "IT"},
	{first: "Marco", last: "Bianchi", email: "marco.bianchi@example.it", region: "EU", company: "Tevere Cloud S.r.l.", jobTitle: "Site Reliability Engineer", city: "Roma", country: "IT"},
	{first: "Sofía", last: "García", email: "sofia.garcia@example.es", region: "EU", city: "Madrid", country: "ES"},
	{first: "Lars", last: "Nilsson", email: "lars.nilsson@example.se", region: "EU", company: "Fjordline AB", jobTitle: "Platform Engineer", city: "Stockholm", country: "SE"},
	{first: "Sanne", last: "de Vries", email: "sanne.devries@example.nl", region: "EU", city: "Amsterdam", country: "NL"},
	{first: "Piotr", last: "Kowalski", email: "piotr.kowalski@example.pl", region: "EU", company: "Wisła Systems", jobTitle: "Go Developer", city: "Warszawa", country: "PL"},
	{first: "Yuki", last: "Tanaka", email: "yuki.tanaka@example.jp", region: "JP", phone: "+81 3 1234 5678", company: "Sakura Cloud KK", jobTitle: "Infrastructure Engineer", city: "Tokyo", country: "JP"},
	{first: "Haruto", last: "Sato", email: "haruto.sato@example.jp", region: "JP", city: "Osaka", country: "JP"},
	{first: "Aiko", last: "Suzuki", email: "aiko.suzuki@example.jp", region: "JP", company: "Shinjuku Systems", jobTitle: "SRE", city: "Tokyo", country: "JP"},
	{first: "Ren", last: "Watanabe", email: "ren.watanabe@example.jp", region: "JP", city: "Yokohama", country: "JP"},
	{first: "Priya", last: "Sharma", email: "priya.sharma@example.in", region: "EU", company: "Lotus Data Pvt Ltd", jobTitle: "Data Scientist", city: "Bengaluru", country: "IN"},
	{first: "Mateus", last: "Silva", email: "mateus.silva@example.com.br", region: "US", city: "São Paulo", country: "BR"},
}

var (
	cancelReasons = []string{
		"Schedule conflict",
		"Illness",
		"Travel plans changed",
		"Booked the wrong date",
		"Company budget was not approved",
	}
	utmSources = []struct{ source, medium string }{
		{"newsletter", "email"},
		{"linkedin", "social"},
		{"google", "cpc"},
		{"mastodon", "social"},
		{"partner-site", "referral"},
	}
	dietaryAnswers = []string{"None", "Vegetarian", "Vegan", "Gluten-free", "Halal"}
	shirtSizes     = []string{"S", "M", "L", "XL"}
)
