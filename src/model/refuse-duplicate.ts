import { FieldErrors } from '../errors.js';

// FusionAuth refuses a create that names an id another object of the same kind holds, and a create or update that
// gives a name another one holds, with `[duplicate]<field>` and one wording ("A consent with Id [...] already
// exists.", "... with name [...] ..."). Every API that refuses so calls these, so that they cannot drift apart.
// `subject` carries the article and FusionAuth's capitals, which differ from API to API ("An Entity Type",
// "A User Action", "a theme" is "A theme"). In model/ rather than manage/ so that the validators of model/ (a
// group's name, a registration's id) can use them too.

/** Adds `[duplicate]<field>` for an id another object holds to `errors`, for the APIs that collect their refusals. */
export function addDuplicateId(errors: FieldErrors, field: string, subject: string, id: string): FieldErrors {
  return errors.add(field, 'duplicate', `${subject} with Id [${id}] already exists.`);
}

/** Refuses (400 `[duplicate]<field>`) a create whose id is `taken`. */
export function refuseDuplicateId(taken: boolean, field: string, subject: string, id: string): void {
  if (taken) addDuplicateId(new FieldErrors(), field, subject, id).throwIfAny();
}

/** Adds `[duplicate]<field>` for a name another object holds to `errors`, for the APIs that collect their refusals. */
export function addDuplicateName(errors: FieldErrors, field: string, subject: string, name: string): FieldErrors {
  return errors.add(field, 'duplicate', `${subject} with name [${name}] already exists.`);
}

/** Refuses (400 `[duplicate]<field>`) `object` when its name is held by `holder` (that object's id), another one. */
export function refuseDuplicateName(holder: string | undefined, object: { id: string; name: string }, field: string, subject: string): void {
  if (holder !== undefined && holder !== object.id) addDuplicateName(new FieldErrors(), field, subject, object.name).throwIfAny();
}
