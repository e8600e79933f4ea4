// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Bounded-time POSIX ERE matching (see ere.h).  A pattern is parsed into a
 * tree, whose expanded size is checked before anything is emitted, then
 * emitted as a Thompson NFA.  A search runs every live state at once (a
 * Pike VM without submatches): each state is visited at most once per
 * byte, and each state remembers the leftmost start that reached it, which
 * is all leftmost-longest needs: states that met at one byte have the same
 * future, so the leftmost start is the one to keep.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/ere.h"

#define INF      (-1)
#define DUP_MAX  32767          /* RE_DUP_MAX, as the C library */

enum node_type { N_EMPTY, N_BYTE, N_SET, N_ANY, N_ASSERT, N_CAT, N_ALT, N_REP };
enum assertion { A_BOL, A_EOL, A_WORDB, A_NWORDB, A_WBEG, A_WEND };
enum op { I_BYTE, I_SET, I_ANY, I_ASSERT, I_SPLIT, I_JMP, I_MATCH };

struct byteset {
	uint8_t bits[32];
};

struct node {
	unsigned char type;
	unsigned char c;        /* N_BYTE: the byte; N_ASSERT: which */
	int a, b;               /* N_CAT, N_ALT: children; N_REP: a; N_SET: a is the set */
	int min, max;           /* N_REP; max INF: unbounded */
};

struct parser {
	const char *p;          /* the next byte of the pattern */
	int depth;              /* parentheses open */
	struct node *nodes;
	int nnodes, cap;
	struct byteset *sets;
	int nsets, setcap;
	enum ere_error code;
	const char *why;        /* set with code */
};

struct insn {
	unsigned char op;
	unsigned char c;        /* I_BYTE: the byte; I_ASSERT: which */
	int x, y;               /* I_SET: x the set; I_SPLIT: both targets; I_JMP: x */
};

struct ere {
	struct insn *prog;
	int n;
	struct byteset *sets;
	bool skip;              /* no match is empty: a search may skip to a byte in first */
	struct byteset first;   /* the bytes a match can start with */
};

struct thread {
	int pc;
	size_t start;
};

/* A sparse set of states: membership and insertion in constant time, in insertion order. */
struct list {
	int n;
	struct thread *dense;
	int *sparse;
};

struct ere_scratch {
	size_t cap;
	struct list a, b;
	int *stack;
};

static bool set_has(const struct byteset *s, unsigned char c)
{
	return s->bits[c >> 3] & (1u << (c & 7));
}

static void set_add(struct byteset *s, unsigned char c)
{
	s->bits[c >> 3] |= 1u << (c & 7);
}

static bool is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static bool is_lower(int c) { return c >= 'a' && c <= 'z'; }
static bool is_digit(int c) { return c >= '0' && c <= '9'; }
static bool is_alpha(int c) { return is_upper(c) || is_lower(c); }
static bool is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static bool is_word(int c) { return is_alnum(c) || c == '_'; }
static bool is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }
static bool is_graph(int c) { return c > ' ' && c < 0x7f; }

/* The C locale's classes: bytes above 0x7f belong to none. */
static bool in_class(int k, int c)
{
	switch (k) {
	case 0: return is_alpha(c);
	case 1: return is_upper(c);
	case 2: return is_lower(c);
	case 3: return is_digit(c);
	case 4: return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
	case 5: return is_alnum(c);
	case 6: return is_graph(c) && !is_alnum(c);
	case 7: return is_space(c);
	case 8: return c == ' ' || c == '\t';
	case 9: return c < ' ' || c == 0x7f;
	case 10: return is_graph(c);
	default: return is_graph(c) || c == ' ';
	}
}

static const char *const class_names[] = {
	"alpha", "upper", "lower", "digit", "xdigit", "alnum",
	"punct", "space", "blank", "cntrl", "graph", "print",
};

static int fail(struct parser *ps, enum ere_error code, const char *why)
{
	if (!ps->why) {
		ps->code = code;
		ps->why = why;
	}
	return -1;
}

static int new_node(struct parser *ps, int type, int a, int b)
{
	struct node *n;

	if (a < 0 || b < 0)
		return -1;
	if (ps->nnodes == ps->cap)
		return fail(ps, ERE_ESIZE, "it is too complex");
	n = &ps->nodes[ps->nnodes];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->a = a;
	n->b = b;
	return ps->nnodes++;
}

static int byte_node(struct parser *ps, int type, unsigned char c)
{
	int i = new_node(ps, type, 0, 0);

	if (i >= 0)
		ps->nodes[i].c = c;
	return i;
}

static int set_node(struct parser *ps, const struct byteset *set)
{
	if (ps->nsets == ps->setcap)
		return fail(ps, ERE_ESIZE, "it is too complex");
	ps->sets[ps->nsets] = *set;
	return new_node(ps, N_SET, ps->nsets++, 0);
}

static int class_set(struct parser *ps, int k, bool negate)
{
	struct byteset set = { { 0 } };
	int c;

	for (c = 1; c < 256; c++)
		if (in_class(k, c) != negate)
			set_add(&set, c);
	return set_node(ps, &set);
}

static int parse_alt(struct parser *ps);

/* [:name:] at ps->p, added to `set`. */
static int parse_class(struct parser *ps, struct byteset *set)
{
	const char *name = ps->p + 2, *end = strstr(name, ":]");
	size_t k;
	int c;

	if (!end)
		return fail(ps, ERE_ESYNTAX, "Unmatched [, [^, [:, [., or [=");
	for (k = 0; k < sizeof(class_names) / sizeof(class_names[0]); k++)
		if (strlen(class_names[k]) == (size_t)(end - name) &&
		    !memcmp(name, class_names[k], end - name))
			break;
	if (k == sizeof(class_names) / sizeof(class_names[0]))
		return fail(ps, ERE_ESYNTAX, "Invalid character class name");
	for (c = 1; c < 256; c++)
		if (in_class(k, c))
			set_add(set, c);
	ps->p = end + 2;
	return 0;
}

/* One character of a bracket expression, [.c.] and [=c=] included; -1 on error. */
static int bracket_char(struct parser *ps)
{
	const char *q = ps->p + 2;
	char kind = ps->p[1];
	unsigned char c;

	if (ps->p[0] != '[' || (kind != '.' && kind != '='))
		return (unsigned char)*ps->p++;
	if (!q[0] || !q[1])
		return fail(ps, ERE_ESYNTAX, "Unmatched [, [^, [:, [., or [=");
	c = *q++;
	if (q[0] != kind || q[1] != ']')
		return fail(ps, ERE_ESYNTAX, "Invalid collation character");
	ps->p = q + 2;
	return c;
}

static bool range_follows(const struct parser *ps)
{
	return ps->p[0] == '-' && ps->p[1] && ps->p[1] != ']';
}

/* One item of a bracket expression: a class, a character or a range. */
static int parse_bracket_item(struct parser *ps, struct byteset *set)
{
	int lo, hi, c;

	if (ps->p[0] == '[' && ps->p[1] == ':') {
		if (parse_class(ps, set))
			return -1;
		return range_follows(ps) ? fail(ps, ERE_ESYNTAX, "Invalid range end") : 0;
	}
	lo = hi = bracket_char(ps);
	if (lo < 0)
		return -1;
	if (range_follows(ps)) {
		ps->p++;
		if (ps->p[0] == '[' && ps->p[1] == ':')
			return fail(ps, ERE_ESYNTAX, "Invalid range end");
		hi = bracket_char(ps);
		if (hi < 0)
			return -1;
		if (hi < lo || range_follows(ps))
			return fail(ps, ERE_ESYNTAX, "Invalid range end");
	}
	for (c = lo; c <= hi; c++)
		set_add(set, c);
	return 0;
}

/* [...], ps->p just after the '['. */
static int parse_bracket(struct parser *ps)
{
	struct byteset set = { { 0 } };
	bool negate = *ps->p == '^';
	int i;

	ps->p += negate;
	/* a ']' first is a member */
	do {
		if (!*ps->p)
			return fail(ps, ERE_ESYNTAX, "Unmatched [, [^, [:, [., or [=");
		if (parse_bracket_item(ps, &set))
			return -1;
	} while (*ps->p != ']');
	ps->p++;
	if (negate)
		for (i = 0; i < 32; i++)
			set.bits[i] = ~set.bits[i];
	set.bits[0] &= ~1u;     /* NUL never occurs in a subject */
	return set_node(ps, &set);
}

static int parse_escape(struct parser *ps, bool *anchor)
{
	static const char assertions[] = "`'bB<>";
	static const unsigned char kinds[] = { A_BOL, A_EOL, A_WORDB, A_NWORDB, A_WBEG, A_WEND };
	unsigned char c = *ps->p;
	const char *a;
	struct byteset set = { { 0 } };
	int i;

	if (!c)
		return fail(ps, ERE_ESYNTAX, "Trailing backslash");
	ps->p++;
	if (c >= '1' && c <= '9')
		return fail(ps, ERE_EBACKREF, "a back-reference");
	if (c == 's' || c == 'S')
		return class_set(ps, 7, c == 'S');
	if (c == 'w' || c == 'W') {
		for (i = 1; i < 256; i++)
			if (is_word(i) != (c == 'W'))
				set_add(&set, i);
		return set_node(ps, &set);
	}
	a = strchr(assertions, c);
	if (a) {
		*anchor = true;
		return byte_node(ps, N_ASSERT, kinds[a - assertions]);
	}
	return byte_node(ps, N_BYTE, c);
}

static int parse_atom(struct parser *ps, bool *anchor)
{
	unsigned char c = *ps->p++;
	int n;

	switch (c) {
	case '(':
		ps->depth++;
		n = parse_alt(ps);
		if (n >= 0 && *ps->p != ')')
			return fail(ps, ERE_ESYNTAX, "Unmatched ( or \\(");
		ps->p++;
		ps->depth--;
		return n;
	case '[':
		return parse_bracket(ps);
	case '.':
		return new_node(ps, N_ANY, 0, 0);
	case '^':
	case '$':
		*anchor = true;
		return byte_node(ps, N_ASSERT, c == '^' ? A_BOL : A_EOL);
	case '\\':
		return parse_escape(ps, anchor);
	default:
		/* a ')' with no '(' open is a character, as for the C library */
		return byte_node(ps, N_BYTE, c);
	}
}

/* Digits at ps->p: false when there are none.  Saturates above DUP_MAX. */
static bool read_count(struct parser *ps, int *v)
{
	const char *start = ps->p;

	for (*v = 0; is_digit(*ps->p); ps->p++)
		if (*v <= DUP_MAX)
			*v = *v * 10 + (*ps->p - '0');
	return ps->p != start;
}

/* {m}, {m,}, {m,n} or {,n}, ps->p just after the '{'. */
static int parse_interval(struct parser *ps, int *min, int *max)
{
	bool lo = read_count(ps, min), comma = *ps->p == ',';

	*max = *min;
	if (comma) {
		ps->p++;
		if (!read_count(ps, max))
			*max = INF;
	}
	if (*ps->p != '}')
		return fail(ps, ERE_ESYNTAX, *ps->p ? "Invalid content of \\{\\}" : "Unmatched \\{");
	ps->p++;
	if ((!lo && !comma) || (*max != INF && *max < *min))
		return fail(ps, ERE_ESYNTAX, "Invalid content of \\{\\}");
	if (*min > DUP_MAX || *max > DUP_MAX)
		return fail(ps, ERE_ESYNTAX, "Regular expression too big");
	return 0;
}

static int parse_quantifier(struct parser *ps, int atom)
{
	char q = *ps->p++;
	int min = 0, max = INF, n;

	if (q == '+')
		min = 1;
	else if (q == '?')
		max = 1;
	else if (q == '{' && parse_interval(ps, &min, &max))
		return -1;
	n = new_node(ps, N_REP, atom, 0);
	if (n >= 0) {
		ps->nodes[n].min = min;
		ps->nodes[n].max = max;
	}
	return n;
}

static bool is_quantifier(char c)
{
	return c && strchr("*+?{", c);
}

static int parse_piece(struct parser *ps)
{
	bool anchor = false;
	int atom;

	if (is_quantifier(*ps->p))
		return fail(ps, ERE_ESYNTAX, "Invalid preceding regular expression");
	atom = parse_atom(ps, &anchor);
	while (atom >= 0 && is_quantifier(*ps->p)) {
		if (anchor)
			return fail(ps, ERE_ESYNTAX, "Invalid preceding regular expression");
		atom = parse_quantifier(ps, atom);
	}
	return atom;
}

static int parse_branch(struct parser *ps)
{
	int node = new_node(ps, N_EMPTY, 0, 0);

	while (node >= 0 && *ps->p && *ps->p != '|' && !(*ps->p == ')' && ps->depth)) {
		int piece = parse_piece(ps);

		node = ps->nodes[node].type == N_EMPTY ? piece : new_node(ps, N_CAT, node, piece);
	}
	return node;
}

static int parse_alt(struct parser *ps)
{
	int node = parse_branch(ps);

	while (node >= 0 && *ps->p == '|') {
		ps->p++;
		node = new_node(ps, N_ALT, node, parse_branch(ps));
	}
	return node;
}

/* The states node i emits, saturating just above the limit. */
static long states_of(const struct parser *ps, int i)
{
	const struct node *n = &ps->nodes[i];
	long a, s;

	switch (n->type) {
	case N_EMPTY:
		return 0;
	case N_CAT:
		s = states_of(ps, n->a) + states_of(ps, n->b);
		break;
	case N_ALT:
		s = states_of(ps, n->a) + states_of(ps, n->b) + 2;
		break;
	case N_REP:
		a = states_of(ps, n->a);
		if (n->max == INF)
			s = n->min ? n->min * a + 1 : a + 2;
		else
			s = n->min * a + (long)(n->max - n->min) * (a + 1);
		break;
	default:
		return 1;
	}
	return s > ERE_MAX_STATES ? ERE_MAX_STATES + 1 : s;
}

static int add(struct ere *re, int op, int x, int y)
{
	re->prog[re->n] = (struct insn){ .op = op, .x = x, .y = y };
	return re->n++;
}

static void emit(struct ere *re, const struct parser *ps, int i);

static void emit_rep(struct ere *re, const struct parser *ps, const struct node *n)
{
	int i, l, chain = -1, copies = n->min - (n->max == INF && n->min);

	for (i = 0; i < copies; i++)
		emit(re, ps, n->a);
	if (n->max == INF && n->min) {
		/* the last copy loops back on itself */
		l = re->n;
		emit(re, ps, n->a);
		add(re, I_SPLIT, l, re->n + 1);
	} else if (n->max == INF) {
		l = add(re, I_SPLIT, re->n + 1, 0);
		emit(re, ps, n->a);
		add(re, I_JMP, l, 0);
		re->prog[l].y = re->n;
	} else {
		/* each optional copy may skip to the end: chain the splits through y, then patch */
		for (i = n->min; i < n->max; i++) {
			chain = add(re, I_SPLIT, re->n + 1, chain);
			emit(re, ps, n->a);
		}
		for (; chain >= 0; chain = l) {
			l = re->prog[chain].y;
			re->prog[chain].y = re->n;
		}
	}
}

static void emit(struct ere *re, const struct parser *ps, int i)
{
	const struct node *n = &ps->nodes[i];
	int l, j;

	switch (n->type) {
	case N_EMPTY:
		break;
	case N_BYTE:
	case N_ASSERT:
		l = add(re, n->type == N_BYTE ? I_BYTE : I_ASSERT, 0, 0);
		re->prog[l].c = n->c;
		break;
	case N_SET:
		add(re, I_SET, n->a, 0);
		break;
	case N_ANY:
		add(re, I_ANY, 0, 0);
		break;
	case N_CAT:
		emit(re, ps, n->a);
		emit(re, ps, n->b);
		break;
	case N_ALT:
		l = add(re, I_SPLIT, re->n + 1, 0);
		emit(re, ps, n->a);
		j = add(re, I_JMP, 0, 0);
		re->prog[l].y = re->n;
		emit(re, ps, n->b);
		re->prog[j].x = re->n;
		break;
	case N_REP:
		emit_rep(re, ps, n);
		break;
	}
}

static bool list_has(const struct list *l, int pc)
{
	int i = l->sparse[pc];

	return i < l->n && l->dense[i].pc == pc;
}

static void list_add(struct list *l, int pc, size_t start)
{
	l->sparse[pc] = l->n;
	l->dense[l->n].pc = pc;
	l->dense[l->n++].start = start;
}

/* What a match can start with, assertions taken as passed; skip unless a match can be empty. */
static void find_first(struct ere *re, struct ere_scratch *w)
{
	struct list *seen = &w->a;
	int top = 0, pc, c;

	seen->n = 0;
	re->skip = true;
	w->stack[top++] = 0;
	while (top) {
		const struct insn *in = &re->prog[pc = w->stack[--top]];

		if (list_has(seen, pc))
			continue;
		list_add(seen, pc, 0);
		switch (in->op) {
		case I_BYTE:
			set_add(&re->first, in->c);
			break;
		case I_SET:
			for (c = 0; c < 32; c++)
				re->first.bits[c] |= re->sets[in->x].bits[c];
			break;
		case I_ANY:
			memset(&re->first, 0xff, sizeof(re->first));
			break;
		case I_MATCH:
			re->skip = false;
			break;
		case I_SPLIT:
			w->stack[top++] = in->y;
			/* fall through */
		case I_JMP:
			w->stack[top++] = in->x;
			break;
		case I_ASSERT:
			w->stack[top++] = pc + 1;
			break;
		}
	}
}

static enum ere_error build(struct ere *re, const struct parser *ps, int root, long states)
{
	struct ere_scratch *w;

	re->prog = calloc(states, sizeof(*re->prog));
	re->sets = calloc(ps->nsets ? ps->nsets : 1, sizeof(*re->sets));
	w = ere_scratch_new(states);
	if (!re->prog || !re->sets || !w) {
		ere_scratch_free(w);
		return ERE_ENOMEM;
	}
	memcpy(re->sets, ps->sets, ps->nsets * sizeof(*re->sets));
	emit(re, ps, root);
	add(re, I_MATCH, 0, 0);
	find_first(re, w);
	ere_scratch_free(w);
	return ERE_OK;
}

enum ere_error ere_compile(const char *pattern, struct ere **out, char *why, size_t whylen)
{
	size_t len = strlen(pattern);
	struct parser ps = { .p = pattern };
	struct ere *re = NULL;
	enum ere_error ret = ERE_ENOMEM;
	long states = 0;
	int root;

	*out = NULL;
	snprintf(why, whylen, "out of memory");
	if (len > ERE_MAX_LEN) {
		snprintf(why, whylen, "it is longer than %d bytes", ERE_MAX_LEN);
		return ERE_ESIZE;
	}
	/* every byte of the pattern makes at most three nodes (atom, repetition, concatenation) */
	ps.cap = 3 * len + 2;
	ps.setcap = len + 1;
	ps.nodes = calloc(ps.cap, sizeof(*ps.nodes));
	ps.sets = calloc(ps.setcap, sizeof(*ps.sets));
	if (!ps.nodes || !ps.sets)
		goto cleanup;
	root = parse_alt(&ps);
	if (root < 0) {
		ret = ps.code;
		snprintf(why, whylen, "%s", ps.why);
		goto cleanup;
	}
	/* sized before anything is emitted: a{1,30000} costs nothing to refuse */
	states = states_of(&ps, root) + 1;
	if (states > ERE_MAX_STATES) {
		ret = ERE_ESIZE;
		snprintf(why, whylen, "its repetitions expand to more than %d states", ERE_MAX_STATES);
		goto cleanup;
	}
	re = calloc(1, sizeof(*re));
	if (!re || build(re, &ps, root, states))
		goto cleanup;
	*out = re;
	re = NULL;
	ret = ERE_OK;
cleanup:
	ere_free(re);
	free(ps.nodes);
	free(ps.sets);
	return ret;
}

void ere_free(struct ere *re)
{
	if (!re)
		return;
	free(re->prog);
	free(re->sets);
	free(re);
}

size_t ere_states(const struct ere *re)
{
	return re->n;
}

struct ere_scratch *ere_scratch_new(size_t states)
{
	struct ere_scratch *w = calloc(1, sizeof(*w));

	if (!w)
		return NULL;
	w->cap = states;
	w->a.dense = malloc(states * sizeof(*w->a.dense));
	w->b.dense = malloc(states * sizeof(*w->b.dense));
	/* zeroed: list_has reads entries no list_add wrote */
	w->a.sparse = calloc(states, sizeof(*w->a.sparse));
	w->b.sparse = calloc(states, sizeof(*w->b.sparse));
	/* each state visited pushes at most two */
	w->stack = malloc((2 * states + 1) * sizeof(*w->stack));
	if (!w->a.dense || !w->b.dense || !w->a.sparse || !w->b.sparse || !w->stack) {
		ere_scratch_free(w);
		return NULL;
	}
	return w;
}

void ere_scratch_free(struct ere_scratch *w)
{
	if (!w)
		return;
	free(w->a.dense);
	free(w->b.dense);
	free(w->a.sparse);
	free(w->b.sparse);
	free(w->stack);
	free(w);
}

static bool holds(int a, const char *s, size_t len, size_t p)
{
	bool before = p > 0 && is_word((unsigned char)s[p - 1]);
	bool after = p < len && is_word((unsigned char)s[p]);

	switch (a) {
	case A_BOL: return p == 0;
	case A_EOL: return p == len;
	case A_WORDB: return before != after;
	case A_NWORDB: return before == after;
	case A_WBEG: return !before && after;
	default: return before && !after;
	}
}

struct subject {
	const char *s;
	size_t len;
	unsigned long *budget;
};

/* Add pc, and every state it reaches without consuming at s[p], to l; false when out of budget. */
static bool follow(const struct ere *re, struct ere_scratch *w, struct list *l,
		   const struct subject *sj, int pc, size_t start, size_t p)
{
	int top = 0;

	w->stack[top++] = pc;
	while (top) {
		const struct insn *in = &re->prog[pc = w->stack[--top]];

		if (!*sj->budget)
			return false;
		--*sj->budget;
		if (list_has(l, pc))
			continue;
		list_add(l, pc, start);
		if (in->op == I_SPLIT) {
			w->stack[top++] = in->y;
			w->stack[top++] = in->x;
		} else if (in->op == I_JMP) {
			w->stack[top++] = in->x;
		} else if (in->op == I_ASSERT && holds(in->c, sj->s, sj->len, p)) {
			w->stack[top++] = pc + 1;
		}
	}
	return true;
}

static bool consumes(const struct ere *re, const struct insn *in, unsigned char c)
{
	switch (in->op) {
	case I_BYTE: return in->c == c;
	case I_SET: return set_has(&re->sets[in->x], c);
	case I_ANY: return true;
	default: return false;
	}
}

/* Move every thread of `from` that may still win over s[p] into `to`. */
static bool step(const struct ere *re, struct ere_scratch *w, const struct subject *sj,
		 struct list *from, struct list *to, size_t p, const size_t *best)
{
	unsigned char c = sj->s[p];
	int i;

	to->n = 0;
	for (i = 0; i < from->n; i++) {
		const struct thread *t = &from->dense[i];

		/* the list is in order of start: the rest started later than the match */
		if (best && t->start > *best)
			break;
		if (consumes(re, &re->prog[t->pc], c) &&
		    !follow(re, w, to, sj, t->pc + 1, t->start, p + 1))
			return false;
	}
	return true;
}

int ere_search(const struct ere *re, struct ere_scratch *w, const char *s, size_t len,
	       size_t from, size_t *so, size_t *eo, unsigned long *budget)
{
	const struct subject sj = { s, len, budget };
	struct list *cur = &w->a, *next = &w->b, *t;
	bool found = false;
	size_t p;
	int i;

	cur->n = 0;
	for (p = from; ; p++) {
		if (!found && !cur->n && re->skip) {
			while (p < len && !set_has(&re->first, s[p]))
				p++;
			if (p == len)
				return 0;
		}
		/* a new start comes last: the list stays in order of start */
		if (!found && !follow(re, w, cur, &sj, 0, p, p))
			return -1;
		for (i = 0; i < cur->n; i++) {
			const struct thread *th = &cur->dense[i];

			if (re->prog[th->pc].op != I_MATCH)
				continue;
			if (!found || th->start <= *so) {
				*so = th->start;
				*eo = p;
				found = true;
			}
			break;
		}
		if (p == len)
			break;
		if (!step(re, w, &sj, cur, next, p, found ? so : NULL))
			return -1;
		t = cur;
		cur = next;
		next = t;
		if (found && !cur->n)
			break;
	}
	return found;
}
