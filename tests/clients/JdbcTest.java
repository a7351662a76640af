// Real-client test: pgjdbc (Java 17, /usr/share/java/postgresql.jar).
// Run: java -cp /usr/share/java/postgresql.jar tests/clients/JdbcTest.java
// Settings from CT_HOST, CT_PORT, CT_USER, CT_PASSWORD, CT_DBNAME.
// Prints "OK ..." or "FAIL: reason".
import java.sql.*;
import java.util.Properties;

public class JdbcTest {
    static String driverVersion = "?";

    static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException(what);
    }

    static String one(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            check(rs.next(), sql + ": no row");
            String v = rs.getString(1);
            check(!rs.next(), sql + ": more than one row");
            return v;
        }
    }

    static Connection connect(String password) throws SQLException {
        String url = "jdbc:postgresql://" + env("CT_HOST", "127.0.0.1") + ":" + env("CT_PORT", "5432") + "/"
                + env("CT_DBNAME", "postgres");
        Properties p = new Properties();
        p.setProperty("user", env("CT_USER", "admin"));
        p.setProperty("password", password);
        // sslmode=require: encrypt, no certificate verification.  pgjdbc 42.x with
        // sslmode=require still builds its default (validating) factory unless told
        // otherwise, so use the non-validating factory for the self-signed certificate.
        p.setProperty("sslmode", "require");
        p.setProperty("sslfactory", "org.postgresql.ssl.NonValidatingFactory");
        p.setProperty("ApplicationName", "borealis-jdbc");
        p.setProperty("connectTimeout", "20");
        p.setProperty("socketTimeout", "60");
        return DriverManager.getConnection(url, p);
    }

    static String env(String k, String d) {
        String v = System.getenv(k);
        return (v == null || v.isEmpty()) ? d : v;
    }

    public static void main(String[] args) {
        try {
            run();
            System.out.println("OK jdbc " + driverVersion);
        } catch (Throwable t) {
            String state = (t instanceof SQLException) ? " sqlstate=" + ((SQLException) t).getSQLState() : "";
            System.out.println("FAIL: " + t.getClass().getSimpleName() + ": " + t.getMessage() + state);
            System.exit(1);
        }
    }

    // DatabaseMetaData: pgjdbc answers these with pg_catalog queries. getColumns (row_number()
    // OVER), getPrimaryKeys and getIndexInfo (information_schema._pg_expandarray in the select
    // list) need SQL Borealis lacks yet, so only what works is checked here.
    static void metadata(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        String t = "ct_jdbc_meta";
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE IF EXISTS " + t);
            st.execute("CREATE TABLE " + t + " (id int PRIMARY KEY, name varchar(20) NOT NULL, v text)");
        }
        try (ResultSet rs = md.getTables(null, "public", t, new String[] {"TABLE"})) {
            check(rs.next() && rs.getString("TABLE_NAME").equals(t) && rs.getString("TABLE_SCHEM").equals("public")
                    && rs.getString("TABLE_TYPE").equals("TABLE") && !rs.next(), "getTables");
        }
        try (ResultSet rs = md.getSchemas()) {
            boolean found = false;
            while (rs.next()) found |= rs.getString("TABLE_SCHEM").equals("public");
            check(found, "getSchemas lacks public");
        }
        try (ResultSet rs = md.getCatalogs()) {
            check(rs.next() && rs.getString(1).equals(env("CT_DBNAME", "postgres")), "getCatalogs");
        }
        try (Statement st = c.createStatement()) {
            st.execute("DROP TABLE " + t);
        }
    }

    static void run() throws Exception {
        try (Connection c = connect(env("CT_PASSWORD", ""))) {
            check(c.isValid(10), "isValid");
            DatabaseMetaData md = c.getMetaData();
            driverVersion = md.getDriverName() + " " + md.getDriverVersion();
            check(md.getDatabaseProductName().equals("PostgreSQL"),
                    "product name " + md.getDatabaseProductName());
            check(md.getDatabaseMajorVersion() >= 9, "server version " + md.getDatabaseProductVersion());
            check(one(c, "SHOW application_name").equals("borealis-jdbc"), "ApplicationName startup parameter not applied");

            // Simple statement.
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT 1")) {
                check(rs.next() && rs.getInt(1) == 1 && !rs.next(), "SELECT 1");
            }
            // PreparedStatement: pgjdbc uses unnamed server statements for the first
            // prepareThreshold-1 (=4) executions and a named server statement
            // (Parse "S_1" once, then only Bind/Execute) from the 5th on.
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::int + 1")) {
                for (int i = 0; i < 10; i++) {
                    ps.setInt(1, 41 + i);
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next(), "prepared: no row");
                        int v = rs.getInt(1);
                        check(v == 42 + i, "prepared execution " + (i + 1) + ": got " + v + ", want " + (42 + i));
                        check(!rs.next(), "prepared: extra row");
                    }
                }
                check(ps.getMetaData().getColumnType(1) == Types.INTEGER, "prepared result column is not INTEGER");
            }
            // Transaction with autocommit off (BEGIN is sent implicitly by the driver).
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("SELECT ?::text || 'b'")) {
                ps.setString(1, "a");
                try (ResultSet rs = ps.executeQuery()) {
                    check(rs.next() && rs.getString(1).equals("ab"), "text parameter");
                }
            }
            c.commit();
            c.setAutoCommit(true);

            // Session parameters.
            try (Statement st = c.createStatement()) {
                st.execute("SET application_name TO 'borealis-x'");
            }
            check(one(c, "SHOW application_name").equals("borealis-x"), "SHOW application_name after SET");
            check(one(c, "SELECT set_config('search_path', 'public', false)").equals("public"), "set_config");
            check(one(c, "SELECT current_setting('search_path')").equals("public"), "current_setting");
            c.setSchema("public"); // pgjdbc sends SET SESSION search_path TO 'public'
            check("public".equals(c.getSchema()), "getSchema");

            // Errors carry a SQLSTATE and the session stays usable.
            try (Statement st = c.createStatement()) {
                st.executeQuery("SELECT 1/0");
                check(false, "SELECT 1/0 did not fail");
            } catch (SQLException e) {
                check("22012".equals(e.getSQLState()), "SELECT 1/0 sqlstate " + e.getSQLState());
            }
            check(one(c, "SELECT 1").equals("1"), "SELECT 1 after error");
            metadata(c);
        }

        // Wrong password -> SQLSTATE 28P01.
        try (Connection c = connect("definitely-not-the-password")) {
            check(false, "login with a wrong password succeeded");
        } catch (SQLException e) {
            check("28P01".equals(e.getSQLState()), "wrong password: sqlstate " + e.getSQLState() + " (" + e.getMessage() + ")");
        }
    }
}
