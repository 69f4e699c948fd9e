package io.courtier.broker;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The rooms of docs/DESIGN.md as rules: the packages of the broker form no cycle, and each room
 * imports only the rooms the design map lets it. A new room must be declared here (and in the map)
 * before the build accepts it.
 */
class ArchitectureTest {

    private static final String BROKER = "io.courtier.broker";

    /** Room → the rooms it may import (besides itself and its own sub-packages). */
    private static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            Map.entry("model", Set.of()),
            Map.entry("config", Set.of()),
            Map.entry("sys", Set.of()),
            Map.entry("routing", Set.of("model")),
            Map.entry("session", Set.of("model", "routing", "config", "sys")),
            Map.entry("persistence", Set.of("model", "routing", "session", "config", "sys")),
            Map.entry("ingest", Set.of("model", "routing", "persistence", "config", "sys")),
            Map.entry("security", Set.of("model", "routing", "config")),
            Map.entry("protocol", Set.of("model", "routing", "session", "persistence", "ingest", "security", "config",
                    "sys")),
            Map.entry("bridge", Set.of("model", "routing", "session", "persistence", "ingest", "protocol", "config",
                    "sys")),
            Map.entry("transport", Set.of("protocol", "security", "config", "sys")),
            Map.entry("cluster", Set.of("model", "routing", "session", "persistence", "config")),
            Map.entry("web", Set.of("model", "routing", "session", "protocol", "security", "transport", "cluster",
                    "config", "sys")));

    private static JavaClasses classes;

    @BeforeAll
    static void importTheBroker() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(BROKER);
    }

    @Test
    void thePackagesFormNoCycle() {
        slices().matching(BROKER + ".(*)..").should().beFreeOfCycles().check(classes);
    }

    @Test
    void everyRoomIsDeclared() {
        Set<String> rooms = new TreeSet<>();
        for (JavaClass c : classes) {
            String pkg = c.getPackageName();
            if (pkg.startsWith(BROKER + ".")) {
                rooms.add(pkg.substring(BROKER.length() + 1).split("\\.")[0]);
            }
        }
        assertThat(MAY_IMPORT.keySet()).as("rooms declared in ArchitectureTest and docs/DESIGN.md")
                .containsAll(rooms);
    }

    /** Hazelcast stays in the cluster room, so that a broker without cluster_* lines never loads it. */
    @Test
    void onlyTheClusterRoomUsesHazelcast() {
        noClasses().that().resideOutsideOfPackage(BROKER + ".cluster..")
                .should().dependOnClassesThat().resideInAPackage("com.hazelcast..")
                .because("docs/DESIGN.md: only the cluster room may use Hazelcast").check(classes);
    }

    @Test
    void eachRoomImportsOnlyWhatTheDesignMapAllows() {
        for (Map.Entry<String, Set<String>> room : MAY_IMPORT.entrySet()) {
            Set<String> forbidden = new TreeSet<>(MAY_IMPORT.keySet());
            forbidden.remove(room.getKey());
            forbidden.removeAll(room.getValue());
            forbidden.add(""); // the composition root
            String[] packages = forbidden.stream()
                    .map(r -> r.isEmpty() ? BROKER : BROKER + "." + r + "..").toArray(String[]::new);
            noClasses().that().resideInAPackage(BROKER + "." + room.getKey() + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(packages)
                    .because("docs/DESIGN.md: " + room.getKey() + " imports only " + room.getValue())
                    .check(classes);
        }
    }
}
