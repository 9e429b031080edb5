package schema

// Who may use the generated list and connection fields (listgen's Roles,
// written into the SDL as @allow). Anonymous callers read events and their
// own booking's tickets and payments; CHECKIN keys read events and tickets;
// STAFF and ADMIN keys read everything.
var (
	everyone   = []string{"ANONYMOUS", "ADMIN", "STAFF", "CHECKIN"}
	keys       = []string{"ADMIN", "STAFF"}
	ticketKeys = []string{"ADMIN", "STAFF", "CHECKIN"}
	booker     = []string{"ANONYMOUS", "ADMIN", "STAFF"}
)
