// Replaced by the template-database setup of the platform; a no-op until then.
export default async function setup(): Promise<void> {}
