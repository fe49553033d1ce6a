/** The indicators the catalog names (the others are custom keys an admin or a platform made up). */
export const KNOWN: readonly string[] = ['online_entry_rate', 'online_handling_rate', 'one_door_rate', 'max_one_trip_rate'];
