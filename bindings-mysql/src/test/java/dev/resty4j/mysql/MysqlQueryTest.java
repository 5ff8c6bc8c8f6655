package dev.resty4j.mysql;

import static org.assertj.core.api.Assertions.assertThat;

import dev.resty4j.Resty;
import dev.resty4j.testing.MockResponse;
import dev.resty4j.testing.RestyTester;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** resty.mysql queries against the real MariaDB: statements, results, column types, errors. */
class MysqlQueryTest {

    @BeforeAll
    static void server() {
        MariaDb.require();
    }

    /** Runs {@code MariaDb.PRELUDE} + {@code lua} as a content handler and returns the response. */
    static MockResponse run(String lua) throws Exception {
        try (RestyTester t = RestyTester.of(Resty.builder().workers(1)
                .location("/t", l -> l.contentByLua(MariaDb.PRELUDE + lua)))) {
            return t.get("/t").run();
        }
    }

    @Test
    void ddlInsertSelectAsLuaRestyMysqlDocumentsIt() throws Exception {
        String cats = MariaDb.table("cats");
        try {
            MockResponse r = run("""
                    local res, err, errcode, sqlstate = db:query("create table %1$s (id serial primary key, name varchar(5))")
                    ngx.say("create: ", dump(res))
                    res = db:query("insert into %1$s (name) values ('Bob'),(''),(null)")
                    ngx.say(res.affected_rows, " rows inserted (last insert id: ", res.insert_id, ")")
                    res = db:query("select * from %1$s order by id asc", 10)
                    ngx.say("result: ", dump(res))
                    res = db:query("update %1$s set name = 'Bob' where id <= 2")
                    ngx.say("updated: ", res.affected_rows)
                    res = db:query("select * from %1$s where id > 100")
                    ngx.say("empty: ", dump(res), " ", type(res))
                    ngx.say(db:set_keepalive(10000, 100))
                    """.formatted(cats));
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).isEqualTo("""
                    create: {affected_rows:0,insert_id:0,server_status:2,warning_count:0}
                    3 rows inserted (last insert id: 1)
                    result: [{id:"1",name:"Bob"},{id:"2",name:""},{id:"3",name:null}]
                    updated: 2
                    empty: [] table
                    1
                    """);
        } finally {
            MariaDb.drop(cats);
        }
    }

    @Test
    void everyCommonColumnTypeConvertsAsLuaRestyMysqlDoes() throws Exception {
        String t = MariaDb.table("types");
        MariaDb.sql("""
                create table %s (
                  i int, bi bigint, ti tinyint, si smallint, mi mediumint, ui int unsigned, ubi bigint unsigned,
                  de decimal(10,2), d double, f float, yr year,
                  vc varchar(20), tx text, bl blob, vb varbinary(10), ch char(3),
                  dt date, dtm datetime, dtm3 datetime(3), dtm6 datetime(6), ts timestamp null, tm time, tm6 time(6),
                  bt bit(8), en enum('a','b'), nul int)
                """.formatted(t));
        try {
            MariaDb.sql("""
                    insert into %s values (
                      -42, 9007199254740993, -128, 32767, 8388607, 4294967295, 18446744073709551615,
                      12.50, 0.1, 1.5, 2024,
                      'héllo', 'long text', x'0001ff80', x'cafe', 'ab',
                      '2024-02-29', '2024-02-29 13:45:01', '2024-02-29 13:45:01.120', '2024-02-29 13:45:01.123456',
                      '1999-12-31 23:59:59', '-838:59:59', '12:34:56.000789',
                      b'101', 'b', null)
                    """.formatted(t));
            MockResponse r = run("""
                    local res, err, errcode, sqlstate = db:query("select * from %s")
                    if not res then ngx.say(err, " ", errcode, " ", sqlstate) return end
                    local row = res[1]
                    local names = {}
                    for k in pairs(row) do names[#names + 1] = k end
                    table.sort(names)
                    for _, k in ipairs(names) do
                        local v = row[k]
                        ngx.say(k, " ", v == ngx.null and "null" or type(v), " ", dump(v))
                    end
                    """.formatted(t));
            assertThat(r.body()).isEqualTo("""
                    bi string "9007199254740993"
                    bl string "\\x00\\x01\\xff\\x80"
                    bt string "\\x05"
                    ch string "ab"
                    d number 0.1
                    de number 12.5
                    dt string "2024-02-29"
                    dtm string "2024-02-29 13:45:01"
                    dtm3 string "2024-02-29 13:45:01.120"
                    dtm6 string "2024-02-29 13:45:01.123456"
                    en string "b"
                    f number 1.5
                    i number -42
                    mi number 8388607
                    nul null null
                    si number 32767
                    ti number -128
                    tm string "-838:59:59"
                    tm6 string "12:34:56.000789"
                    ts string "1999-12-31 23:59:59"
                    tx string "long text"
                    ubi string "18446744073709551615"
                    ui number 4294967295
                    vb string "\\xca\\xfe"
                    vc string "h\\xc3\\xa9llo"
                    yr number 2024
                    """);
        } finally {
            MariaDb.drop(t);
        }
    }

    @Test
    void multiStatementQueriesHandOutOneResultPerCallWithAgain() throws Exception {
        String t = MariaDb.table("multi");
        try {
            MockResponse r = run("""
                    local res, err, errcode, sqlstate = db:query("create table %1$s (id int auto_increment primary key, v int); "
                        .. "insert into %1$s (v) values (10), (20); select v from %1$s order by id; select 'x' as s")
                    ngx.say("result #1: ", dump(res), " ", err)
                    local i = 2
                    while err == "again" do
                        res, err, errcode, sqlstate = db:read_result()
                        if not res then
                            ngx.say("bad result #", i, ": ", err)
                            return
                        end
                        ngx.say("result #", i, ": ", dump(res), " ", tostring(err))
                        i = i + 1
                    end
                    -- the connection is ready for the next query
                    res, err = db:query("select 1 as one")
                    ngx.say(dump(res), " ", tostring(err))
                    """.formatted(t));
            assertThat(r.body()).isEqualTo("""
                    result #1: {affected_rows:0,insert_id:0,server_status:10,warning_count:0} again
                    result #2: {affected_rows:2,insert_id:1,server_status:10,warning_count:0} again
                    result #3: [{v:10},{v:20}] again
                    result #4: [{s:"x"}] nil
                    [{one:1}] nil
                    """);
        } finally {
            MariaDb.drop(t);
        }
    }

    @Test
    void sendQueryAndReadResultFollowTheStateMachine() throws Exception {
        MockResponse r = run("""
                ngx.say(db:read_result())
                ngx.say(db:send_query("select 1 as a; select 2 as b"))
                ngx.say(db:send_query("select 3"))
                ngx.say(db:query("select 3"))
                ngx.say(db:set_keepalive())
                local res, err = db:read_result()
                ngx.say(dump(res), " ", err)
                res, err = db:read_result()
                ngx.say(dump(res), " ", tostring(err))
                ngx.say(db:read_result())
                ngx.say(db:close())
                ngx.say(db:close())
                ngx.say(db:query("select 1"))
                ngx.say(db:set_keepalive())
                ngx.say(db:get_reused_times())
                """);
        assertThat(r.body()).isEqualTo("""
                nilcannot read result in the current context: 1
                33
                nilcannot send query in the current context: 2
                nilfailed to send query: cannot send query in the current context: 2
                nilcannot be reused in the current connection state: 2
                [{a:1}] again
                [{b:2}] nil
                nilcannot read result in the current context: 1
                1
                nilclosed
                nilfailed to send query: cannot send query in the current context: nil
                nilcannot be reused in the current connection state: nil
                nilclosed
                """);
    }

    @Test
    void syntaxErrorsComeBackAsErrcodeAndSqlstate() throws Exception {
        MockResponse r = run("""
                local res, err, errcode, sqlstate = db:query("selec 1")
                ngx.say(res, " | ", err, " | ", errcode, " | ", sqlstate)
                res, err, errcode, sqlstate = db:query("select * from r4j_no_such_table")
                ngx.say(res, " | ", err, " | ", errcode, " | ", sqlstate)
                -- after a server error the connection is usable again
                ngx.say(dump(db:query("select 2 as two")))
                -- in a multi-statement query, the failing statement fails the whole query (see the README)
                res, err, errcode, sqlstate = db:query("select 1; selec 2")
                ngx.say(res, " | ", errcode, " | ", sqlstate)
                ngx.say(dump(db:query("select 3 as three")))
                """);
        assertThat(r.body()).isEqualTo("""
                nil | You have an error in your SQL syntax; check the manual that corresponds to your MariaDB server \
                version for the right syntax to use near 'selec 1' at line 1 | 1064 | 42000
                nil | Table 'test.r4j_no_such_table' doesn't exist | 1146 | 42S02
                [{two:2}]
                nil | 1064 | 42000
                [{three:3}]
                """);
    }

    @Test
    void compactArraysGiveRowsAsArrays() throws Exception {
        MockResponse r = run("""
                db:set_compact_arrays(true)
                ngx.say(dump(db:query("select 1 as a, null as b, 'c' as c union all select 2, 3, 'd'")))
                db:set_compact_arrays(false)
                ngx.say(dump(db:query("select 1 as a")))
                local db2 = mysql:new()
                db2:connect{ %s, compact_arrays = true }
                ngx.say(dump(db2:query("select 1 as a, 2 as b")))
                db2:close()
                """.formatted(MariaDb.OPTS));
        assertThat(r.body()).isEqualTo("""
                [[1,null,"c"],[2,3,"d"]]
                [{a:1}]
                [[1,2]]
                """);
    }

    @Test
    void quoteSqlStrKeepsHostileInputInsideTheLiteral() throws Exception {
        String t = MariaDb.table("users");
        MariaDb.sql("create table " + t + " (name varbinary(100))");
        try {
            MockResponse r = run("""
                    local hostile = "x'; drop table %1$s; -- " .. string.char(92, 0, 10, 13, 26, 34, 39, 255)
                    local res, err = db:query("insert into %1$s values (" .. ngx.quote_sql_str(hostile) .. ")")
                    ngx.say(res and res.affected_rows, " ", err)
                    res = db:query("select name from %1$s")
                    ngx.say(#res, " ", res[1].name == hostile)
                    res = db:query("select count(*) as n from %1$s where name = " .. ngx.quote_sql_str(hostile))
                    ngx.say(dump(res))
                    """.formatted(t));
            assertThat(r.body()).isEqualTo("1 nil\n1 true\n[{n:\"1\"}]\n");
        } finally {
            MariaDb.drop(t);
        }
    }

    @Test
    void serverVersionIsTheHandshakeString() throws Exception {
        String version = MariaDb.sql("select version() as v").iterator().next().getString("v");
        MockResponse r = run("""
                ngx.say(db:server_ver())
                local fresh = mysql:new()
                ngx.say(fresh:server_ver())
                """);
        // MariaDB before 11 prefixes its handshake version with "5.5.5-" (replication compatibility)
        assertThat(r.body()).matches("(5\\.5\\.5-)?" + java.util.regex.Pattern.quote(version) + "\nnil\n");
    }

    @Test
    void preparedStatementsAreAnExtensionWithBinaryProtocolNumbers() throws Exception {
        String t = MariaDb.table("prep");
        MariaDb.sql("create table " + t + " (id int primary key, big bigint, de decimal(10,2), name varchar(10), b bit(8))");
        MariaDb.sql("insert into " + t + " values (1, 7, 1.25, 'one', b'10'), (2, 8, 2.50, 'two', b'11')");
        try {
            MockResponse r = run("""
                    local id, err = db:prepare("select * from %1$s where id = ? or name = ? order by id")
                    ngx.say("prepared: ", id, " ", tostring(err))
                    ngx.say(dump(db:execute(id, 1, "two")))
                    ngx.say(dump(db:execute(id, 3, ngx.null)))
                    local ins = db:prepare("insert into %1$s (id, name) values (?, ?)")
                    ngx.say(ins, " ", dump(db:execute(ins, 9, "it's")))
                    ngx.say(db:execute(42))
                    local res, err, errcode, sqlstate = db:prepare("selec ?")
                    ngx.say(res, " ", errcode, " ", sqlstate)
                    -- statements live as long as the connection, also across the pool
                    db:set_keepalive()
                    db:connect{ %2$s }
                    ngx.say(db:get_reused_times(), " ", dump(db:execute(ins, 10, "ten")))
                    """.formatted(t, MariaDb.OPTS));
            assertThat(r.body()).isEqualTo("""
                    prepared: 1 nil
                    [{b:2,big:7,de:"1.25",id:1,name:"one"},{b:3,big:8,de:"2.50",id:2,name:"two"}]
                    []
                    2 {affected_rows:1,insert_id:0,server_status:2,warning_count:0}
                    nilunknown statement id: 42
                    nil 1064 42000
                    1 {affected_rows:1,insert_id:0,server_status:2,warning_count:0}
                    """);
            assertThat(MariaDb.sql("select name from " + t + " where id = 9").iterator().next().getString(0)).isEqualTo("it's");
        } finally {
            MariaDb.drop(t);
        }
    }
}
