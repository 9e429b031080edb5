package catalog

import (
	"context"

	"seatgraph/ent"
	"seatgraph/ent/participant"
	"seatgraph/internal/domain"
)

// Person is a validated person.
type Person struct {
	first, last, email                         string
	phone, company, jobTitle, address, zipCode *string
	city, countryCode, externalRef             *string
}

// ValidatePerson validates a person given in an input; prefix is its input
// path ("booker.", "tickets.0.holder.").
func ValidatePerson(prefix string, in ParticipantInput) (Person, error) {
	var ck checker
	f := ck.person(prefix, in)
	return f, ck.result()
}

func (ck *checker) person(prefix string, in ParticipantInput) Person {
	return Person{
		first:       ck.text(prefix+"firstName", in.FirstName, true, 100),
		last:        ck.text(prefix+"lastName", in.LastName, true, 100),
		email:       ck.email(prefix+"email", in.Email),
		phone:       ck.optText(prefix+"phone", in.Phone, 50),
		company:     ck.optText(prefix+"company", in.Company, 200),
		jobTitle:    ck.optText(prefix+"jobTitle", in.JobTitle, 200),
		address:     ck.optText(prefix+"address", in.Address, 500),
		zipCode:     ck.optText(prefix+"zipCode", in.ZipCode, 20),
		city:        ck.optText(prefix+"city", in.City, 100),
		countryCode: ck.countryCode(prefix+"countryCode", in.CountryCode),
		externalRef: ck.optText(prefix+"externalRef", in.ExternalRef, 200),
	}
}

// Email returns the normalized e-mail a participant is found again by.
func (f Person) Email() string { return f.email }

// Create returns the builder of a new participant of tenant tid.
func (f Person) Create(tx *ent.Tx, tid int) *ent.ParticipantCreate {
	return tx.Participant.Create().SetTenantID(tid).SetFirstName(f.first).SetLastName(f.last).
		SetEmail(f.email).SetNillablePhone(f.phone).SetNillableCompany(f.company).
		SetNillableJobTitle(f.jobTitle).SetNillableAddress(f.address).SetNillableZipCode(f.zipCode).
		SetNillableCity(f.city).SetNillableCountryCode(f.countryCode).SetNillableExternalRef(f.externalRef)
}

// CreateParticipant creates a participant; the e-mail must be new in the tenant.
func (c *Catalog) CreateParticipant(ctx context.Context, in CreateParticipantInput) (*ent.Participant, error) {
	f, err := ValidatePerson("", in)
	if err != nil {
		return nil, err
	}
	var out *ent.Participant
	err = c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		taken, err := tx.Participant.Query().Where(participant.TenantID(tid), participant.Email(f.email)).Exist(ctx)
		if err != nil {
			return err
		}
		if taken {
			return domain.Invalid("email", "a participant with this e-mail exists already")
		}
		out, err = f.Create(tx, tid).Save(ctx)
		if ent.IsConstraintError(err) {
			return domain.Invalid("email", "a participant with this e-mail exists already")
		}
		return err
	})
	return unwrap(out, err)
}

// UpdateParticipant changes the given fields of a participant.
func (c *Catalog) UpdateParticipant(ctx context.Context, in ParticipantChanges) (*ent.Participant, error) {
	var out *ent.Participant
	err := c.inTx(ctx, func(ctx context.Context, tx *ent.Tx, tid int) error {
		p, err := tx.Participant.Query().Where(participant.ID(in.ID), participant.TenantID(tid)).Only(ctx)
		if ent.IsNotFound(err) {
			return domain.NotFound("Participant", in.ID)
		}
		if err != nil {
			return err
		}
		var ck checker
		u := tx.Participant.UpdateOne(p)
		if in.FirstName != nil {
			u.SetFirstName(ck.text("firstName", *in.FirstName, true, 100))
		}
		if in.LastName != nil {
			u.SetLastName(ck.text("lastName", *in.LastName, true, 100))
		}
		if in.Email != nil {
			email := ck.email("email", *in.Email)
			if ck.ok() && email != p.Email {
				taken, err := tx.Participant.Query().Where(participant.TenantID(tid), participant.Email(email)).Exist(ctx)
				if err != nil {
					return err
				}
				if taken {
					ck.fail("email", "a participant with this e-mail exists already")
				}
			}
			u.SetEmail(email)
		}
		setOptText(&ck, in.Phone, "phone", 50, u.SetPhone, u.ClearPhone)
		setOptText(&ck, in.Company, "company", 200, u.SetCompany, u.ClearCompany)
		setOptText(&ck, in.JobTitle, "jobTitle", 200, u.SetJobTitle, u.ClearJobTitle)
		setOptText(&ck, in.Address, "address", 500, u.SetAddress, u.ClearAddress)
		setOptText(&ck, in.ZipCode, "zipCode", 20, u.SetZipCode, u.ClearZipCode)
		setOptText(&ck, in.City, "city", 100, u.SetCity, u.ClearCity)
		setOptText(&ck, in.ExternalRef, "externalRef", 200, u.SetExternalRef, u.ClearExternalRef)
		if in.CountryCode.IsSet() {
			if cc := ck.countryCode("countryCode", in.CountryCode.Value()); cc != nil {
				u.SetCountryCode(*cc)
			} else {
				u.ClearCountryCode()
			}
		}
		if !ck.ok() {
			return ck.result()
		}
		out, err = u.Save(ctx)
		if ent.IsConstraintError(err) {
			return domain.Invalid("email", "a participant with this e-mail exists already")
		}
		return err
	})
	return unwrap(out, err)
}
