/**
 * Mosquitto's persistence file (mosquitto.db, format versions 5 and 6) read into plain records,
 * for the one-time import into Courtier's store ({@code persistence.MosquittoImport}). Nothing
 * here writes or knows Courtier's records.
 */
package io.courtier.broker.persistence.mosquitto;
